package dev.switchboard.socketio.parser;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decodes the packets of one connection the default parser's way (stateful: a binary packet is its text part
 * followed by its attachments). Strict like Node's socket.io-parser: anything malformed throws
 * {@link PacketParseException} and nothing else escapes. Not thread-safe; one instance per connection, fed in
 * arrival order.
 */
public final class PacketDecoder implements SocketIoParser.Decoder {

    public static final int DEFAULT_MAX_ATTACHMENTS = 10;
    private static final int MAX_ACK_ID_DIGITS = 15; // below 2^53, like a JS number stays exact

    private final ObjectReader json;
    private final int maxAttachments;

    private volatile PendingBinary pending; // callbacks may move between I/O threads after an upgrade

    public PacketDecoder(ObjectMapper mapper, int maxAttachments) {
        this(jsonReader(mapper), maxAttachments);
    }

    /** {@code json} from {@link #jsonReader}: immutable, so one serves every connection's decoder. */
    public PacketDecoder(ObjectReader json, int maxAttachments) {
        this.json = json;
        this.maxAttachments = maxAttachments;
    }

    /** The strict reader a decoder parses packet data with (no trailing tokens after the JSON value). */
    public static ObjectReader jsonReader(ObjectMapper mapper) {
        return mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Decodes a text message; returns null when it starts a binary packet whose attachments are still to come. */
    @Override
    public Packet decodeText(String text) throws PacketParseException {
        if (pending != null) {
            throw new PacketParseException("got plaintext data when reconstructing a packet");
        }
        try {
            return parse(text);
        } catch (PacketParseException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new PacketParseException("invalid packet: " + e.getClass().getSimpleName());
        }
    }

    /** Decodes a binary message (an attachment); returns the packet once its last attachment arrived. */
    @Override
    public Packet decodeBinary(byte[] data) throws PacketParseException {
        PendingBinary p = pending;
        if (p == null) {
            throw new PacketParseException("got binary data when not reconstructing a packet");
        }
        p.attachments.add(data);
        p.heapBytes += DecodedSize.BINARY + data.length;
        if (p.attachments.size() < p.expected) {
            return null;
        }
        pending = null;
        try {
            JsonNode data2 = reconstruct(p.data, p.attachments, new boolean[p.attachments.size()]);
            return new Packet(p.type, p.namespace, p.ackId, data2);
        } catch (RuntimeException | StackOverflowError e) {
            throw new PacketParseException("invalid attachments: " + e.getClass().getSimpleName());
        }
    }

    /** Whether a binary packet is waiting for attachments. */
    public boolean isReconstructing() {
        return pending != null;
    }

    @Override
    public long unfinishedHeapBytes() {
        PendingBinary p = pending;
        return p == null ? 0 : p.heapBytes;
    }

    private Packet parse(String str) throws PacketParseException {
        int len = str.length();
        if (len == 0) {
            throw new PacketParseException("empty packet");
        }
        PacketType type = PacketType.ofDigit(str.charAt(0));
        if (type == null) {
            throw new PacketParseException("unknown packet type");
        }
        int i = 1;
        int attachments = 0;
        if (type.isBinary()) {
            int start = i;
            while (i < len && str.charAt(i) != '-') {
                char c = str.charAt(i);
                if (c < '0' || c > '9' || i - start >= 9) {
                    throw new PacketParseException("illegal attachments");
                }
                i++;
            }
            if (i == start || i == len) {
                throw new PacketParseException("illegal attachments");
            }
            attachments = Integer.parseInt(str, start, i, 10);
            if (attachments < 1) {
                throw new PacketParseException("illegal attachments");
            }
            if (attachments > maxAttachments) {
                throw new PacketParseException("too many attachments");
            }
            i++; // '-'
        }
        String namespace = "/";
        if (i < len && str.charAt(i) == '/') {
            int start = i;
            while (i < len && str.charAt(i) != ',') {
                i++;
            }
            namespace = str.substring(start, i);
            if (i < len) {
                i++; // ','
            }
        }
        long ackId = Packet.NO_ACK;
        if (i < len && isDigit(str.charAt(i))) {
            int start = i;
            while (i < len && isDigit(str.charAt(i))) {
                i++;
            }
            if (i - start > MAX_ACK_ID_DIGITS) {
                throw new PacketParseException("ack id too long");
            }
            ackId = Long.parseLong(str, start, i, 10);
        }
        JsonNode data = null;
        if (i < len) {
            try {
                data = json.readTree(str.substring(i));
            } catch (Exception e) {
                throw new PacketParseException("invalid JSON payload");
            }
            if (data == null || data.isMissingNode()) {
                throw new PacketParseException("invalid JSON payload");
            }
        }
        if (!PayloadRules.isValid(type, data)) {
            throw new PacketParseException("invalid payload for " + type);
        }
        if (type.isBinary()) {
            pending = new PendingBinary(type == PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK,
                    namespace, ackId, data, attachments);
            return null;
        }
        return new Packet(type, namespace, ackId, data);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Replaces every {"_placeholder":true,"num":n} with attachment n; a bad index is a parse error, and so is an
     * attachment placed twice: socket.io-client writes one placeholder per attachment, and a packet naming one
     * attachment in thousands of placeholders would hand handlers (and whatever re-encodes the arguments, e.g.
     * the /mcp forwarder's JSON) thousands of times the bytes the client sent.
     */
    private static JsonNode reconstruct(JsonNode node, List<byte[]> attachments, boolean[] placed)
            throws PacketParseException {
        if (node instanceof ObjectNode object) {
            JsonNode marker = object.get("_placeholder");
            if (marker != null && marker.isBoolean() && marker.booleanValue()) {
                JsonNode num = object.get("num");
                if (num == null || !num.isNumber() || !num.canConvertToExactIntegral()) {
                    throw new PacketParseException("illegal attachments");
                }
                double n = num.doubleValue();
                if (n < 0 || n >= attachments.size() || placed[(int) n]) {
                    throw new PacketParseException("illegal attachments");
                }
                placed[(int) n] = true;
                return BinaryNode.valueOf(attachments.get((int) n));
            }
            List<String> names = new ArrayList<>(object.size());
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                JsonNode replaced = reconstruct(value, attachments, placed);
                if (replaced != value) {
                    object.replace(name, replaced);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int k = 0; k < array.size(); k++) {
                JsonNode element = array.get(k);
                JsonNode replaced = reconstruct(element, attachments, placed);
                if (replaced != element) {
                    array.set(k, replaced);
                }
            }
        }
        return node;
    }

    private static final class PendingBinary {
        final PacketType type;
        final String namespace;
        final long ackId;
        final JsonNode data;
        final int expected;
        final List<byte[]> attachments;
        long heapBytes; // the header's tree, then each attachment as it arrives

        PendingBinary(PacketType type, String namespace, long ackId, JsonNode data, int expected) {
            this.type = type;
            this.namespace = namespace;
            this.ackId = ackId;
            this.data = data;
            this.expected = expected;
            this.attachments = new ArrayList<>(expected);
            this.heapBytes = DecodedSize.of(data);
        }
    }
}
