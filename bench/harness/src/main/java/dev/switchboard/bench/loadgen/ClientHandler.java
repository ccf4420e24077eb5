package dev.switchboard.bench.loadgen;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * One client: raw HTTP upgrade, then RFC 6455 frames parsed in place (no frame objects), Engine.IO v4 and
 * Socket.IO v5 packets recognised by their first bytes. A bench event's emit time is read straight from the
 * payload bytes ({@code "t":<nanos>}): nothing is allocated per received message.
 */
final class ClientHandler extends ByteToMessageDecoder {
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
    private static final byte[] T_KEY = {'"', 't', '"', ':'};

    private final Fleet fleet;
    private final ClientFrames frames;
    private boolean upgraded;
    private boolean released;
    private boolean ready;

    ClientHandler(Fleet fleet, ClientFrames frames) {
        this.fleet = fleet;
        this.frames = frames;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(frames.upgradeRequest.duplicate(), ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!upgraded && !readUpgrade(ctx, in)) {
            return;
        }
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int b0 = in.getUnsignedByte(start);
            int b1 = in.getUnsignedByte(start + 1);
            int header = 2;
            long length = b1 & 0x7F;
            if (length == 126) {
                if (in.readableBytes() < 4) {
                    return;
                }
                length = in.getUnsignedShort(start + 2);
                header = 4;
            } else if (length == 127) {
                if (in.readableBytes() < 10) {
                    return;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if ((b1 & 0x80) != 0) {
                header += 4; // servers must not mask; tolerated but the payload is then not unmasked
            }
            if (in.readableBytes() < header + length) {
                return;
            }
            int payload = start + header;
            handleFrame(ctx, b0 & 0x0F, in, payload, (int) length);
            in.readerIndex(payload + (int) length);
        }
    }

    private boolean readUpgrade(ChannelHandlerContext ctx, ByteBuf in) {
        int end = indexOf(in, in.readerIndex(), in.writerIndex(), HEADER_END);
        if (end < 0) {
            if (in.readableBytes() > 16384) {
                fail(ctx, "upgrade response too long");
            }
            return false;
        }
        String status = in.toString(in.readerIndex(), Math.min(12, end - in.readerIndex()), StandardCharsets.US_ASCII);
        if (!status.equals("HTTP/1.1 101")) {
            fail(ctx, "upgrade refused: " + in.toString(in.readerIndex(), Math.min(200, in.readableBytes()),
                    StandardCharsets.US_ASCII).replace("\r\n", " | "));
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(end + HEADER_END.length);
        upgraded = true;
        fleet.upgraded.incrementAndGet();
        return true;
    }

    private void handleFrame(ChannelHandlerContext ctx, int opcode, ByteBuf in, int at, int length) {
        switch (opcode) {
            case 1 -> handleText(ctx, in, at, length);
            case 8 -> ctx.close();
            case 9 -> ctx.writeAndFlush(frames.pong.duplicate(), ctx.voidPromise());
            default -> fleet.otherFrames.incrementAndGet();
        }
    }

    private void handleText(ChannelHandlerContext ctx, ByteBuf in, int at, int length) {
        if (length == 0) {
            return;
        }
        byte engineType = in.getByte(at);
        switch (engineType) {
            case '4' -> handleSocketIo(ctx, in, at, length);
            case '2' -> {
                ctx.writeAndFlush(frames.enginePong.duplicate(), ctx.voidPromise());
                fleet.pingsAnswered.incrementAndGet();
            }
            case '0' -> ctx.writeAndFlush(frames.connect.duplicate(), ctx.voidPromise());
            case '1' -> ctx.close();
            default -> fleet.otherFrames.incrementAndGet();
        }
    }

    private void handleSocketIo(ChannelHandlerContext ctx, ByteBuf in, int at, int length) {
        if (length < 2) {
            return;
        }
        byte type = in.getByte(at + 1);
        if (type == '2') {
            if (startsWith(in, at, length, frames.benchPrefix)) {
                long emitNanos = readTimestamp(in, at + frames.benchPrefix.length, at + length);
                if (emitNanos != Long.MIN_VALUE) {
                    RxStats.current().record(emitNanos, System.nanoTime(), fleet.windowStart, fleet.windowEnd);
                }
            } else if (!ready && startsWith(in, at, length, frames.joinedPrefix)) {
                becomeReady();
            }
        } else if (type == '0') {
            fleet.connected.incrementAndGet();
            if (frames.join == null) {
                becomeReady();
            } else {
                ctx.writeAndFlush(frames.join.duplicate(), ctx.voidPromise());
            }
        } else if (type == '4') {
            fleet.connectErrors.incrementAndGet();
            fail(ctx, "connect_error: " + in.toString(at, Math.min(length, 200), StandardCharsets.UTF_8));
        }
    }

    private void becomeReady() {
        ready = true;
        fleet.ready.incrementAndGet();
        releaseWindow();
    }

    private void fail(ChannelHandlerContext ctx, String message) {
        fleet.failed.incrementAndGet();
        fleet.error(message);
        releaseWindow();
        ctx.close();
    }

    private void releaseWindow() {
        if (!released) {
            released = true;
            fleet.connectWindow.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!fleet.stopping) {
            if (ready) {
                fleet.closedByServer.incrementAndGet();
                fleet.error("closed by server after ready: " + ctx.channel().localAddress());
            } else if (!released) {
                fleet.failed.incrementAndGet();
                fleet.error("closed before ready (upgraded=" + upgraded + ")");
            }
        }
        releaseWindow();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!fleet.stopping) {
            fleet.error("exception: " + cause);
        }
        ctx.close();
    }

    /** Digits after the first {@code "t":} in [from, to); Long.MIN_VALUE when absent. */
    static long readTimestamp(ByteBuf in, int from, int to) {
        int key = indexOf(in, from, Math.min(to, from + 256), T_KEY);
        if (key < 0) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        boolean any = false;
        boolean negative = false;
        int i = key + T_KEY.length;
        if (i < to && in.getByte(i) == '-') {
            negative = true;
            i++;
        }
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            any = true;
        }
        if (!any) {
            return Long.MIN_VALUE;
        }
        return negative ? -value : value;
    }

    static boolean startsWith(ByteBuf in, int at, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (in.getByte(at + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(ByteBuf in, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (in.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String hex(ByteBuf in) {
        return ByteBufUtil.hexDump(in);
    }
}
