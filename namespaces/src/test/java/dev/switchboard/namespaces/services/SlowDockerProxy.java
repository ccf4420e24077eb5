package dev.switchboard.namespaces.services;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Unix-socket relay in front of the real dockerd that answers late: the first bytes dockerd sends on each new
 * connection are held back for {@code answerDelay}, as a busy engine would. That holds a follow (logs, stats,
 * events) between "requested" and "started" long enough for a subscriber to leave meanwhile, every time.
 * It also gives dockerd's side of the story: {@link #openFollows()} counts the connections carrying a follow
 * request that neither end has closed yet.
 */
final class SlowDockerProxy implements AutoCloseable {
    private static final Pattern FOLLOW = Pattern.compile("^GET \\S*(/logs\\?\\S*follow=(true|1)|/stats|/events)");

    private final Path socketPath;
    private final Path target;
    private final Duration answerDelay;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openFollows = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private SlowDockerProxy(Path dir, Path target, Duration answerDelay) throws IOException {
        this.socketPath = dir.resolve("docker-proxy.sock");
        this.target = target;
        this.answerDelay = answerDelay;
        Files.deleteIfExists(socketPath);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        this.acceptor = new Thread(this::acceptLoop, "slow-docker-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static SlowDockerProxy start(Path dir, Duration answerDelay) throws IOException {
        return new SlowDockerProxy(dir, Path.of("/var/run/docker.sock"), answerDelay);
    }

    /** The DOCKER_HOST to give the server. */
    String dockerHost() {
        return "unix://" + socketPath;
    }

    /** Connections that carry a follow request and are still open at both ends. */
    int openFollows() {
        return openFollows.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                new Relay(client, upstream).start(connections.incrementAndGet());
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private final class Relay {
        private final SocketChannel client;
        private final SocketChannel upstream;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile boolean follow;

        Relay(SocketChannel client, SocketChannel upstream) {
            this.client = client;
            this.upstream = upstream;
            channels.add(client);
            channels.add(upstream);
        }

        void start(int n) {
            Thread up = new Thread(this::requests, "slow-docker-proxy-up-" + n);
            Thread down = new Thread(this::answers, "slow-docker-proxy-down-" + n);
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void requests() {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            boolean first = true;
            try {
                while (client.read(buffer) >= 0) {
                    buffer.flip();
                    if (first) {
                        first = false;
                        String head = StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString();
                        if (FOLLOW.matcher(head).find()) {
                            follow = true;
                            openFollows.incrementAndGet();
                        }
                    }
                    while (buffer.hasRemaining()) {
                        upstream.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // one end closed
            }
            end();
        }

        private void answers() {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            boolean first = true;
            try {
                while (upstream.read(buffer) >= 0) {
                    if (first) {
                        first = false;
                        Thread.sleep(answerDelay.toMillis()); // the slow engine this relay stands for
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // one end closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            end();
        }

        private void end() {
            if (ended.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(upstream);
                channels.remove(client);
                channels.remove(upstream);
                if (follow) {
                    openFollows.decrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (SocketChannel channel : channels) {
            closeQuietly(channel);
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException ignored) {
            // a temp folder
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
