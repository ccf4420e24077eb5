package dev.switchboard.engineio;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport the listener runs on: epoll where its native library loads (Linux x86_64 and aarch64 ship
 * in the jar), else NIO. The choice is logged once per start, with the reason when epoll is unavailable, so a host
 * that silently fell back to NIO shows it in the first lines of the log.
 */
record IoTransport(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel) {
    private static final Logger log = LoggerFactory.getLogger(IoTransport.class);

    static IoTransport select() {
        return select(Epoll.isAvailable(), Epoll.unavailabilityCause());
    }

    static IoTransport select(boolean epollAvailable, Throwable whyNotEpoll) {
        String arch = System.getProperty("os.arch");
        if (epollAvailable) {
            log.info("event=transport_selected transport=epoll os={} arch={}", System.getProperty("os.name"), arch);
            return new IoTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        log.info("event=transport_selected transport=nio os={} arch={} reason=\"{}\"", System.getProperty("os.name"),
                arch, reason(whyNotEpoll));
        return new IoTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    /** The cause chain on one line: the outer error often only says "failed to load any of the given libraries". */
    static String reason(Throwable cause) {
        if (cause == null) return "unknown";
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) text.append(" <- ");
            text.append(t);
        }
        return text.toString().replace('"', '\'').replaceAll("\\s+", " ");
    }
}
