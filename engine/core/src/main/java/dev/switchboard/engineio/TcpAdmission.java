package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on TCP connections before any request is read: all of them, and those of one peer address. Behind our
 * reverse proxy (trustProxy) a peer it trusts is the proxy, carrying everyone's connections: it counts
 * only against the global cap. A refused connection gets a short JSON answer and is closed.
 */
final class TcpAdmission {
    private static final ByteBuf SERVER_FULL = answer(503, "Service Unavailable", "Server full: too many connections");
    private static final ByteBuf PEER_FULL = answer(429, "Too Many Requests", "Too many connections from this address");

    private final int maxConnections;
    private final int maxPerPeer;
    private final ProxyTrust trustProxy;
    private final RefusalLog refusals;
    private final AtomicInteger open = new AtomicInteger();
    private final AddressCounts<String> perPeer = new AddressCounts<>();

    /** Zero turns a cap off. */
    TcpAdmission(int maxConnections, int maxPerPeer, ProxyTrust trustProxy, RefusalLog refusals) {
        this.refusals = refusals;
        this.maxConnections = maxConnections;
        this.maxPerPeer = maxPerPeer;
        this.trustProxy = trustProxy;
    }

    /**
     * Counts a new connection until it closes; null when admitted, else a handler that answers and closes it
     * (nothing else goes into its pipeline).
     */
    ChannelHandler admit(Channel ch) {
        if (open.incrementAndGet() > maxConnections && maxConnections > 0) {
            open.decrementAndGet();
            refusals.refused("tcp_full", ch.remoteAddress());
            return new Refuse(SERVER_FULL);
        }
        String peer = peerAddress(ch);
        if (peer != null && maxPerPeer > 0 && !trustProxy.trusts((InetSocketAddress) ch.remoteAddress())) {
            if (perPeer.increment(peer) > maxPerPeer) {
                perPeer.decrement(peer);
                open.decrementAndGet();
                refusals.refused("tcp_per_ip", peer);
                return new Refuse(PEER_FULL);
            }
            ch.closeFuture().addListener(f -> {
                perPeer.decrement(peer);
                open.decrementAndGet();
            });
        } else {
            ch.closeFuture().addListener(f -> open.decrementAndGet());
        }
        return null;
    }

    int open() {
        return open.get();
    }

    int trackedPeers() {
        return perPeer.addresses();
    }

    /** As per-IP limits count it (an IPv6 peer by its /64, see {@link ClientAddress#of(InetAddress)}). */
    private static String peerAddress(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? ClientAddress.of(a.getAddress()) : null;
    }

    private static ByteBuf answer(int status, String reason, String message) {
        String body = "{\"code\":" + status + ",\"message\":\"" + message + "\"}";
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nRetry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(head + body, StandardCharsets.US_ASCII)).asReadOnly();
    }

    /**
     * Answers the refused connection once it is active, then closes it lingering: the client has usually sent its
     * request already, and closing with it unread would reset the connection and could destroy the answer before
     * the client reads it. So the output is shut (FIN after the answer), what arrives is discarded, and the
     * connection is closed when the client closes or after {@link #LINGER_MS}.
     */
    private static final class Refuse extends ChannelInboundHandlerAdapter {
        private static final long LINGER_MS = 500;
        private final ByteBuf answer;

        Refuse(ByteBuf answer) {
            this.answer = answer;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(answer.duplicate()).addListener(written -> {
                if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg); // whatever the client sends meanwhile is not read
        }
    }
}
