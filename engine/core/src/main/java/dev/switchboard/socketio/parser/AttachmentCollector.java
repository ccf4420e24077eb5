package dev.switchboard.socketio.parser;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

/**
 * Writes every binary value (byte[], BinaryNode, ByteBuffer...) as a Socket.IO placeholder
 * {@code {"_placeholder":true,"num":n}} and keeps the bytes as attachment n. Jackson routes all binary
 * values through writeBinary, so this catches them wherever they are nested.
 */
final class AttachmentCollector extends JsonGeneratorDelegate {
    private List<byte[]> attachments;

    AttachmentCollector(JsonGenerator delegate) {
        super(delegate, false);
    }

    /** The collected attachments, in placeholder order; empty when there were none. */
    List<byte[]> attachments() {
        return attachments == null ? List.of() : attachments;
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        byte[] bytes = offset == 0 && len == data.length ? data : Arrays.copyOfRange(data, offset, offset + len);
        placeholder(bytes);
    }

    @Override
    public void writeBinary(byte[] data, int offset, int len) throws IOException {
        writeBinary(null, data, offset, len);
    }

    @Override
    public void writeBinary(byte[] data) throws IOException {
        writeBinary(null, data, 0, data.length);
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
        byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
        placeholder(bytes);
        return bytes.length;
    }

    @Override
    public int writeBinary(InputStream data, int dataLength) throws IOException {
        return writeBinary(null, data, dataLength);
    }

    private void placeholder(byte[] bytes) throws IOException {
        if (attachments == null) {
            attachments = new ArrayList<>(2);
        }
        int num = attachments.size();
        attachments.add(bytes);
        delegate.writeStartObject();
        delegate.writeBooleanField("_placeholder", true);
        delegate.writeNumberField("num", num);
        delegate.writeEndObject();
    }
}
