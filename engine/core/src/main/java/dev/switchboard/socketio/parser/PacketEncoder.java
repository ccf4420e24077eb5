package dev.switchboard.socketio.parser;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.engineio.EngineMessage;

/**
 * Encodes Socket.IO v5 packets into Engine.IO messages the default parser's way: one text message, then one
 * binary message per attachment. byte[] (and Jackson BinaryNode) anywhere in the data become attachments and
 * the type becomes BINARY_EVENT / BINARY_ACK. Thread-safe; the returned messages may be sent to any number of
 * sockets.
 */
public final class PacketEncoder implements SocketIoParser.Encoder {
    private static final String PROBE_EVENT = "e";
    private static final String PROBE_ARGUMENT = "0-a";

    private final ObjectMapper mapper;
    private final boolean appends;

    public PacketEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
        this.appends = appendsLikeEncoding();
    }

    /**
     * A mapper configured to indent, or to write strings its own way, would not write what {@link #appendArgument}
     * splices in: asked once, by encoding both ways.
     */
    private boolean appendsLikeEncoding() {
        EngineMessage[] plain = encodeEvent("/", PROBE_EVENT, List.of(), Packet.NO_ACK);
        EngineMessage[] spliced = splice(plain, PROBE_ARGUMENT);
        EngineMessage[] encoded = encodeEvent("/", PROBE_EVENT, List.of(PROBE_ARGUMENT), Packet.NO_ACK);
        return spliced != null && spliced[0].text().equals(encoded[0].text());
    }

    @Override
    public boolean appendsArguments() {
        return appends;
    }

    /**
     * A text EVENT ends with the {@code ]} of its JSON array: the argument goes before it, as Jackson writes an
     * array element ({@code ,"value"}), for a value that needs no escaping. A BINARY_EVENT's header is such a text
     * too (its attachments are placeholders in it); the attachments stay as they are.
     */
    @Override
    public EngineMessage[] appendArgument(EngineMessage[] event, String argument) {
        return appends ? splice(event, argument) : null;
    }

    private static EngineMessage[] splice(EngineMessage[] event, String argument) {
        if (event.length == 0 || event[0].isBinary() || !plainJsonString(argument)) {
            return null;
        }
        String text = event[0].text();
        int end = text.length() - 1;
        if (end < 0 || text.charAt(end) != ']') {
            return null;
        }
        StringBuilder sb = new StringBuilder(text.length() + argument.length() + 3);
        sb.append(text, 0, end).append(",\"").append(argument).append("\"]");
        EngineMessage[] spliced = event.clone(); // a binary event's attachments, shared: messages are immutable
        spliced[0] = EngineMessage.text(sb.toString());
        return spliced;
    }

    /** Letters, digits, {@code -} and {@code _}: written between quotes as they are. */
    private static boolean plainJsonString(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    // The three helpers repeat the interface's defaults on purpose: the default path stays the code it was when
    // benchmarked (a final class's own methods), whatever the JIT makes of default methods.

    @Override
    public EngineMessage[] encodeEvent(String namespace, String event, Object[] args, long ackId) {
        Object[] data = new Object[args.length + 1];
        data[0] = event;
        System.arraycopy(args, 0, data, 1, args.length);
        return encode(PacketType.EVENT, namespace, ackId, data);
    }

    @Override
    public EngineMessage[] encodeEvent(String namespace, String event, List<?> args, long ackId) {
        Object[] data = new Object[args.size() + 1];
        data[0] = event;
        for (int i = 0; i < args.size(); i++) {
            data[i + 1] = args.get(i);
        }
        return encode(PacketType.EVENT, namespace, ackId, data);
    }

    @Override
    public EngineMessage[] encodeAck(String namespace, long ackId, Object[] args) {
        return encode(PacketType.ACK, namespace, ackId, args);
    }

    /**
     * EVENT/ACK turn into their binary variants when the data holds binary values. The header goes through the
     * generator's own buffer ({@code writeRaw}), so a packet that fits the buffer reaches {@link PacketText} in one
     * write and becomes its String with no intermediate copy.
     */
    @Override
    public EngineMessage[] encode(PacketType type, String namespace, long ackId, Object data) {
        PacketText out = new PacketText();
        List<byte[]> attachments = List.of();
        try (JsonGenerator base = mapper.getFactory().createGenerator(out);
             AttachmentCollector generator = new AttachmentCollector(base)) {
            base.writeRaw(type.digit());
            if (namespace != null && !"/".equals(namespace)) {
                base.writeRaw(namespace);
                base.writeRaw(',');
            }
            if (ackId >= 0) {
                base.writeRaw(Long.toString(ackId));
            }
            if (data != null) {
                mapper.writeValue(generator, data);
            }
            generator.flush();
            attachments = generator.attachments();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize packet data: " + e.getMessage(), e);
        }
        String text = out.text();
        if (attachments.isEmpty()) {
            return new EngineMessage[] {EngineMessage.text(text)};
        }
        PacketType binaryType = type.withAttachments(true);
        if (!binaryType.isBinary()) {
            throw new IllegalArgumentException(type + " packets cannot carry binary data");
        }
        EngineMessage[] messages = new EngineMessage[attachments.size() + 1];
        messages[0] = EngineMessage.text(String.valueOf(binaryType.digit()) + attachments.size() + '-' + text.substring(1));
        for (int i = 0; i < attachments.size(); i++) {
            messages[i + 1] = EngineMessage.binary(attachments.get(i));
        }
        return messages;
    }
}
