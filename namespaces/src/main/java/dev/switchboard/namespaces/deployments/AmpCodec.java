package dev.switchboard.namespaces.deployments;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * PM2's wire format (axon over AMP): one header byte {@code version<<4 | argc}, then per argument a 4-byte
 * big-endian length and the bytes. Arguments are {@code s:<string>}, {@code j:<json>} or raw bytes.
 */
final class AmpCodec {
    private static final int VERSION = 1;
    private static final int MAX_ARG_BYTES = 64 << 20;

    private AmpCodec() {
    }

    static ByteBuffer encode(ObjectMapper json, Object... args) throws IOException {
        List<byte[]> packed = new ArrayList<>(args.length);
        int length = 1;
        for (Object arg : args) {
            byte[] bytes = arg instanceof String s
                    ? ("s:" + s).getBytes(StandardCharsets.UTF_8)
                    : concat("j:", json.writeValueAsBytes(arg));
            packed.add(bytes);
            length += 4 + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put((byte) (VERSION << 4 | args.length));
        for (byte[] bytes : packed) {
            out.putInt(bytes.length).put(bytes);
        }
        return out.flip();
    }

    /** Reads one message; strings come back as TextNode, JSON as trees, raw bytes as binary nodes. */
    static List<JsonNode> decode(ObjectMapper json, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int header = data.read();
        if (header < 0) {
            throw new EOFException("connection closed");
        }
        int argc = header & 0x0f;
        List<JsonNode> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            int length = data.readInt();
            if (length < 0 || length > MAX_ARG_BYTES) {
                throw new IOException("AMP argument too large: " + length);
            }
            byte[] bytes = data.readNBytes(length); // grows with the bytes that come, not with the length announced
            if (bytes.length < length) {
                throw new EOFException("AMP argument cut short: " + bytes.length + " of " + length + " bytes");
            }
            args.add(unpack(json, bytes));
        }
        return args;
    }

    private static JsonNode unpack(ObjectMapper json, byte[] bytes) throws IOException {
        if (bytes.length >= 2 && bytes[1] == ':') {
            if (bytes[0] == 'j') {
                return json.readTree(bytes, 2, bytes.length - 2);
            }
            if (bytes[0] == 's') {
                return TextNode.valueOf(new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8));
            }
        }
        return json.getNodeFactory().binaryNode(bytes);
    }

    private static byte[] concat(String prefix, byte[] body) {
        byte[] out = new byte[prefix.length() + body.length];
        for (int i = 0; i < prefix.length(); i++) {
            out[i] = (byte) prefix.charAt(i);
        }
        System.arraycopy(body, 0, out, prefix.length(), body.length);
        return out;
    }
}
