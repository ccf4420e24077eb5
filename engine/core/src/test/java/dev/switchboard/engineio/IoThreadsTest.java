package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine's Netty I/O threads: one per core unless set (Netty's own default is two per core). */
class IoThreadsTest {
    @Test
    void byDefaultOnePerCore() {
        assertThat(EngineIoServer.ioThreads(EngineIoOptions.builder().build()))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aSetCountIsKept() {
        assertThat(EngineIoServer.ioThreads(EngineIoOptions.builder().ioThreads(3).build())).isEqualTo(3);
    }
}
