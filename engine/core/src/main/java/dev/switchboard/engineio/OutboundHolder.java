package dev.switchboard.engineio;

/** A connection that holds outbound bytes the client has not read yet: what {@link OutboundMemoryGuard} may cut. */
interface OutboundHolder {
    /** Bytes queued for the client and not yet handed to the kernel (any thread). */
    long bufferedBytes();

    /** Closes the connection as a slow consumer, dropping what it holds (any thread). */
    void shedForMemory();

    /** True once the connection is closing (cut or not): what it holds is on its way out. */
    boolean closing();
}
