package dev.switchboard.bench.loadgen;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import dev.switchboard.bench.Args;
import dev.switchboard.bench.JsonOut;
import dev.switchboard.bench.ProcStat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Load generator (loopback only). Modes:
 * <ul>
 * <li>{@code idle}: n clients connect to a namespace; connect time, server RSS/CPU before and after;</li>
 * <li>{@code fanout}: n clients join one room; {@code POST /emit} to it at each rate of {@code rates} (emits/s);
 *     per step delivered msgs/s, emit-to-receive latency, both processes' CPU;</li>
 * <li>{@code hold}: n clients join one room and count deliveries between stdin lines {@code start} and
 *     {@code end} (another tool, wrk, drives {@code /emit}).</li>
 * <li>{@code cluster}: n clients connect to one node of a cluster (a room is optional); the orchestrator drives
 *     {@code /emit} and sets measurement windows by stdin lines (see {@link #cluster()}).</li>
 * </ul>
 * Results are one-line JSON on stdout ({@code RESULT {...}}); progress goes to stderr.
 */
public final class LoadGen {
    /** Per-process open-file hard limit on these machines. */
    private static final int FD_LIMIT = 20_000;
    private static final int FD_RESERVE = 32;

    private final Args args;
    private final String serverPid;
    private final String selfPid = ProcStat.self();
    private final String host;
    private final int wsPort;
    private final int apiPort;
    private final EventLoopGroup group;
    private final EventLoopGroup emitterGroup;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Fleet fleet;

    private LoadGen(Args args) {
        this.args = args;
        this.serverPid = args.str("serverPid", "");
        this.host = args.str("host", "127.0.0.1");
        if (!host.startsWith("127.") && !host.equals("::1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("only loopback targets are allowed, got " + host);
        }
        this.wsPort = args.integer("wsPort", 3007);
        this.apiPort = args.integer("apiPort", 3008);
        this.group = new MultiThreadIoEventLoopGroup(args.integer("threads", 2), EpollIoHandler.newFactory());
        this.emitterGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    public static int run(Args args) throws Exception {
        LoadGen gen = new LoadGen(args);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(args.longValue("maxRunMs", 600_000));
        Thread watchdog = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("loadgen: maxRunMs reached, exiting");
            Runtime.getRuntime().halt(3);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return switch (args.str("mode", "idle")) {
                case "idle" -> gen.idle();
                case "fanout" -> gen.fanout();
                case "hold" -> gen.hold();
                case "cluster" -> gen.cluster();
                default -> throw new IllegalArgumentException("mode must be idle, fanout, hold or cluster");
            };
        } finally {
            gen.shutdown();
        }
    }

    private int cappedCount(int wanted) {
        int open = ProcStat.openFiles(selfPid);
        int cap = FD_LIMIT - open - FD_RESERVE;
        return Math.min(wanted, cap);
    }

    /** Connects {@code n} clients (at most {@code conc} handshakes in flight); returns elapsed ms. */
    private long connectAll(int n, String room) throws InterruptedException {
        String ns = args.str("ns", "/mcp");
        String event = args.str("event", "bench");
        int conc = args.integer("conc", 200);
        fleet = new Fleet(ns, room, event, conc);
        ClientFrames frames = new ClientFrames(host, wsPort, args.str("path", "/socket.io/"), ns, room, event);
        Bootstrap b = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandler(fleet, frames));
                    }
                });
        String srcNet = args.str("srcNet", "127.0.0");
        int srcCount = args.integer("srcCount", 1);
        int srcFirst = args.integer("srcFirst", 1);
        InetSocketAddress remote = new InetSocketAddress(host, wsPort);
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(args.longValue("connectTimeoutMs", 120_000));
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!fleet.connectWindow.tryAcquire(Math.max(1, timeoutNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS)) {
                fleet.error("connect window timed out after " + i + " connects");
                break;
            }
            InetSocketAddress local = new InetSocketAddress(srcNet + "." + (srcFirst + i % srcCount), 0);
            ChannelFuture f = b.connect(remote, local);
            channels.add(f.channel());
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    fleet.failed.incrementAndGet();
                    fleet.error("connect failed: " + done.cause());
                    fleet.connectWindow.release();
                }
            });
            if ((i + 1) % 5000 == 0) {
                System.err.printf("loadgen: %d connects started, %d ready, %d failed%n", i + 1, fleet.ready.get(), fleet.failed.get());
            }
        }
        while (fleet.ready.get() + fleet.failed.get() < n && System.nanoTime() - start < timeoutNanos) {
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private int idle() throws Exception {
        int wanted = args.integer("n", 1000);
        int n = cappedCount(wanted);
        Map<String, Object> r = JsonOut.map();
        r.put("mode", "idle");
        r.put("wanted", wanted);
        r.put("n", n);
        r.put("serverFdsBefore", ProcStat.openFiles(serverPid));
        long rssBefore = ProcStat.rssKb(serverPid);
        long serverCpu0 = ProcStat.cpuMillis(serverPid);
        long selfCpu0 = ProcStat.cpuMillis(selfPid);
        String room = args.str("room", "");
        long connectMs = connectAll(n, room.isEmpty() ? null : room);
        long serverCpu1 = ProcStat.cpuMillis(serverPid);
        long selfCpu1 = ProcStat.cpuMillis(selfPid);
        Thread.sleep(args.longValue("settleMs", 2000));
        long rssAfter = ProcStat.rssKb(serverPid);
        int ready = fleet.ready.get();
        r.put("ready", ready);
        r.put("failed", fleet.failed.get());
        r.put("connectMs", connectMs);
        r.put("connectsPerSec", connectMs == 0 ? 0 : ready * 1000.0 / connectMs);
        r.put("serverRssBeforeKb", rssBefore);
        r.put("serverRssAfterKb", rssAfter);
        r.put("rssPerConnBytes", ready == 0 ? 0 : (rssAfter - rssBefore) * 1024.0 / ready);
        r.put("serverFdsAfter", ProcStat.openFiles(serverPid));
        r.put("serverCpuMsConnect", serverCpu1 - serverCpu0);
        r.put("loadgenCpuMsConnect", selfCpu1 - selfCpu0);
        r.put("serverCpuMsPerConnect", ready == 0 ? 0 : (double) (serverCpu1 - serverCpu0) / ready);
        long holdMs = args.longValue("holdMs", 0);
        if (holdMs > 0) {
            long c0 = ProcStat.cpuMillis(serverPid);
            Thread.sleep(holdMs);
            r.put("serverCpuMsIdleHold", ProcStat.cpuMillis(serverPid) - c0);
            r.put("holdMs", holdMs);
            // RSS again once the connections have been idle for a while: what a long-running server keeps
            long rssHeld = ProcStat.rssKb(serverPid);
            r.put("serverRssAfterHoldKb", rssHeld);
            r.put("rssPerConnAfterHoldBytes", ready == 0 ? 0 : (rssHeld - rssBefore) * 1024.0 / ready);
        }
        r.put("health", health());
        finish(r);
        return 0;
    }

    private int fanout() throws Exception {
        int n = cappedCount(args.integer("n", 1000));
        String room = args.str("room", "bench");
        long connectMs = connectAll(n, room);
        int ready = fleet.ready.get();
        Map<String, Object> setup = JsonOut.map();
        setup.put("n", n);
        setup.put("ready", ready);
        setup.put("failed", fleet.failed.get());
        setup.put("connectMs", connectMs);
        setup.put("health", health());
        JsonOut.line("SETUP", setup);
        if (ready == 0) {
            finish(JsonOut.map());
            return 1;
        }
        HttpEmitter emitter = new HttpEmitter(emitterGroup.next(), new InetSocketAddress(host, apiPort),
                fleet.namespace, room, fleet.benchEvent, args.integer("pad", 64));
        emitter.open(args.integer("emitConns", 8));
        long warmupMs = args.longValue("warmupMs", 2000);
        long durationMs = args.longValue("durationMs", 5000);
        double stopP99Ms = args.integer("stopP99Ms", 1000);
        List<Integer> rates = args.ints("rates", "10,50,100");
        for (int step = 0; step < rates.size(); step++) {
            int rate = rates.get(step);
            RxStats.takeLatency();
            emitter.takeRequestLatency();
            int closedBefore = fleet.closedByServer.get();
            emitter.start(rate);
            Thread.sleep(warmupMs);
            long dropped0 = emitter.dropped.get();
            long failed0 = emitter.failed.get();
            long rx0 = RxStats.totalReceived();
            long win0 = RxStats.totalInWindow();
            long serverCpu0 = ProcStat.cpuMillis(serverPid);
            long selfCpu0 = ProcStat.cpuMillis(selfPid);
            long t0 = System.nanoTime();
            fleet.windowStart = t0;
            fleet.windowEnd = Long.MAX_VALUE;
            Thread.sleep(durationMs);
            long t1 = System.nanoTime();
            fleet.windowEnd = t1;
            long serverCpu1 = ProcStat.cpuMillis(serverPid);
            long selfCpu1 = ProcStat.cpuMillis(selfPid);
            long rx1 = RxStats.totalReceived();
            long dropped1 = emitter.dropped.get();
            emitter.stop(t1);
            long emits = emitter.intendedBetween(t0, t1);
            long expected = emits * ready;
            long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(args.longValue("drainMs", 3000));
            while (RxStats.totalInWindow() - win0 < expected && System.nanoTime() < drainDeadline) {
                Thread.sleep(5);
            }
            long gotInWindow = RxStats.totalInWindow() - win0;
            Histogram lat = RxStats.takeLatency();
            Histogram req = emitter.takeRequestLatency();
            double seconds = (t1 - t0) / 1e9;
            long delivered = rx1 - rx0;
            long serverCpu = serverCpu1 - serverCpu0;
            long selfCpu = selfCpu1 - selfCpu0;
            Map<String, Object> r = JsonOut.map();
            r.put("step", step);
            r.put("rate", rate);
            r.put("subscribers", ready);
            r.put("seconds", seconds);
            r.put("emits", emits);
            r.put("emitsPerSec", emits / seconds);
            r.put("emitsDropped", dropped1 - dropped0);
            r.put("emitErrors", emitter.failed.get() - failed0);
            r.put("expected", expected);
            r.put("received", gotInWindow);
            r.put("lossRatio", expected == 0 ? 0 : 1.0 - (double) gotInWindow / expected);
            r.put("deliveredPerSec", delivered / seconds);
            r.put("offeredPerSec", (double) rate * ready);
            r.put("p50Ms", lat.getValueAtPercentile(50) / 1000.0);
            r.put("p99Ms", lat.getValueAtPercentile(99) / 1000.0);
            r.put("maxMs", lat.getMaxValue() / 1000.0);
            r.put("emitHttpP50Ms", req.getValueAtPercentile(50) / 1000.0);
            r.put("emitHttpP99Ms", req.getValueAtPercentile(99) / 1000.0);
            r.put("serverCpuMs", serverCpu);
            r.put("loadgenCpuMs", selfCpu);
            r.put("serverCpuPct", serverCpu / 10.0 / seconds);
            r.put("loadgenCpuPct", selfCpu / 10.0 / seconds);
            r.put("serverCpuMicrosPerMsg", delivered == 0 ? 0 : serverCpu * 1000.0 / delivered);
            r.put("loadgenCpuMicrosPerMsg", delivered == 0 ? 0 : selfCpu * 1000.0 / delivered);
            r.put("closedByServer", fleet.closedByServer.get() - closedBefore);
            r.put("emitFirstError", emitter.firstError);
            boolean saturated = lat.getValueAtPercentile(99) / 1000.0 > stopP99Ms
                    || (expected > 0 && (double) gotInWindow / expected < 0.95)
                    || fleet.closedByServer.get() > closedBefore;
            r.put("saturated", saturated);
            JsonOut.line("STEP", r);
            System.err.printf("loadgen: rate=%d delivered/s=%.0f p99=%.1fms loss=%.4f serverCpu=%.0f%% loadgenCpu=%.0f%%%n",
                    rate, delivered / seconds, lat.getValueAtPercentile(99) / 1000.0,
                    expected == 0 ? 0 : 1.0 - (double) gotInWindow / expected, serverCpu / 10.0 / seconds,
                    selfCpu / 10.0 / seconds);
            if (saturated) {
                break;
            }
            Thread.sleep(args.longValue("pauseMs", 500));
        }
        Map<String, Object> r = JsonOut.map();
        r.put("emitsOk", emitter.ok.get());
        r.put("emitsFailed", emitter.failed.get());
        r.put("deliveredReportedByServer", emitter.deliveredReported.get());
        r.put("receivedTotal", RxStats.totalReceived());
        finish(r);
        return 0;
    }

    private int hold() throws Exception {
        int n = cappedCount(args.integer("n", 100));
        String room = args.str("room", "bench");
        long connectMs = connectAll(n, room);
        Map<String, Object> setup = JsonOut.map();
        setup.put("n", n);
        setup.put("ready", fleet.ready.get());
        setup.put("failed", fleet.failed.get());
        setup.put("connectMs", connectMs);
        JsonOut.line("READY", setup);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long rx0 = 0;
        long t0 = 0;
        long selfCpu0 = 0;
        Map<String, Object> r = JsonOut.map();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("start")) {
                rx0 = RxStats.totalReceived();
                selfCpu0 = ProcStat.cpuMillis(selfPid);
                t0 = System.nanoTime();
            } else if (line.equals("end")) {
                // messages in flight at the end still belong to the window
                Thread.sleep(args.longValue("drainMs", 300));
                double seconds = (System.nanoTime() - t0) / 1e9;
                long received = RxStats.totalReceived() - rx0;
                r.put("subscribers", fleet.ready.get());
                r.put("received", received);
                r.put("seconds", seconds);
                r.put("receivedPerSec", received / seconds);
                r.put("loadgenCpuMs", ProcStat.cpuMillis(selfPid) - selfCpu0);
                r.put("closedByServer", fleet.closedByServer.get());
                break;
            }
        }
        finish(r);
        return 0;
    }

    /**
     * One of several load generators of a cluster run. Connects, prints {@code READY} (with the server's RSS before and
     * 3 s after the connects), then obeys stdin lines: {@code window <startNanos> <endNanos>} (System.nanoTime, the
     * orchestrator's monotonic clock is the same one) starts a measurement window and resets the counters;
     * {@code count} prints {@code COUNT} (arrivals so far, nothing reset);
     * {@code report} prints {@code REPORT} with what arrived for emits inside the window (latency as a sparse
     * histogram the orchestrator merges over processes); {@code end} finishes.
     */
    private int cluster() throws Exception {
        int n = cappedCount(args.integer("n", 1000));
        String room = args.str("room", "");
        long rssBefore = ProcStat.rssKb(serverPid);
        long serverCpu0 = ProcStat.cpuMillis(serverPid);
        long connectMs = connectAll(n, room.isEmpty() ? null : room);
        long serverCpuConnect = ProcStat.cpuMillis(serverPid) - serverCpu0;
        Thread.sleep(args.longValue("settleMs", 3000));
        Map<String, Object> setup = JsonOut.map();
        setup.put("n", n);
        setup.put("ready", fleet.ready.get());
        setup.put("failed", fleet.failed.get());
        setup.put("connectMs", connectMs);
        setup.put("serverRssBeforeKb", rssBefore);
        setup.put("serverRssAfterKb", ProcStat.rssKb(serverPid));
        setup.put("serverCpuMsConnect", serverCpuConnect);
        setup.put("errors", fleet.errors);
        JsonOut.line("READY", setup);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long rx0 = RxStats.totalReceived();
        long win0 = RxStats.totalInWindow();
        int closed0 = fleet.closedByServer.get();
        long selfCpu0 = ProcStat.cpuMillis(selfPid);
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.trim().split(" ");
            if (parts[0].equals("window") && parts.length == 3) {
                RxStats.takeLatency();
                rx0 = RxStats.totalReceived();
                win0 = RxStats.totalInWindow();
                closed0 = fleet.closedByServer.get();
                selfCpu0 = ProcStat.cpuMillis(selfPid);
                fleet.windowStart = Long.parseLong(parts[1]);
                fleet.windowEnd = Long.parseLong(parts[2]);
            } else if (parts[0].equals("count")) {
                Map<String, Object> r = JsonOut.map();
                r.put("receivedInWindow", RxStats.totalInWindow() - win0);
                JsonOut.line("COUNT", r);
            } else if (parts[0].equals("report")) {
                Histogram lat = RxStats.takeLatency();
                Map<String, Object> r = JsonOut.map();
                r.put("received", RxStats.totalReceived() - rx0);
                r.put("receivedInWindow", RxStats.totalInWindow() - win0);
                r.put("latencyMicros", sparse(lat));
                r.put("closedByServer", fleet.closedByServer.get() - closed0);
                r.put("loadgenCpuMs", ProcStat.cpuMillis(selfPid) - selfCpu0);
                r.put("connected", fleet.ready.get() - fleet.closedByServer.get());
                JsonOut.line("REPORT", r);
            } else if (parts[0].equals("end")) {
                break;
            }
        }
        finish(JsonOut.map());
        return 0;
    }

    /** [[value, count], ...] of a histogram's recorded values (a few thousand at most with 3 significant digits). */
    private static List<long[]> sparse(Histogram h) {
        List<long[]> out = new java.util.ArrayList<>();
        for (org.HdrHistogram.HistogramIterationValue v : h.recordedValues()) {
            out.add(new long[] {h.highestEquivalentValue(v.getValueIteratedTo()), v.getCountAddedInThisIterationStep()});
        }
        return out;
    }

    private void finish(Map<String, Object> r) {
        r.put("closedByServer", fleet == null ? 0 : fleet.closedByServer.get());
        r.put("connectErrors", fleet == null ? 0 : fleet.connectErrors.get());
        r.put("pingsAnswered", fleet == null ? 0 : fleet.pingsAnswered.get());
        r.put("errors", fleet == null ? List.of() : fleet.errors);
        r.put("loadgenThreads", args.integer("threads", 2));
        r.put("loadgenOpenFiles", ProcStat.openFiles(selfPid));
        JsonOut.line("RESULT", r);
    }

    private Object health() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + apiPort + "/health"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
        } catch (Exception e) {
            return "health failed: " + e;
        }
    }

    private void shutdown() {
        if (fleet != null) {
            fleet.stopping = true;
        }
        channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        emitterGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
