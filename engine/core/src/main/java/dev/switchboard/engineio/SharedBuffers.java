package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/** Immutable buffers written to many channels: never released, freed by the GC with their JDK direct buffer. */
final class SharedBuffers {
    private SharedBuffers() {
    }

    static ByteBuf readOnlyDirect(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        // wrappedBuffer of a JDK direct buffer does not free it on release; the GC's cleaner does
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct).asReadOnly());
    }
}
