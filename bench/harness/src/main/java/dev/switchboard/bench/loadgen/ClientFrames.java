package dev.switchboard.bench.loadgen;

import io.netty.buffer.ByteBuf;

/** Every byte sequence a client sends or looks for, built once per run. */
final class ClientFrames {
    final ByteBuf upgradeRequest;
    final ByteBuf connect;
    /** null when the clients join no room. */
    final ByteBuf join;
    final ByteBuf enginePong;
    final ByteBuf pong;
    final byte[] benchPrefix;
    final byte[] joinedPrefix;

    ClientFrames(String host, int port, String path, String namespace, String room, String benchEvent) {
        upgradeRequest = Frames.ascii("GET " + path + "?EIO=4&transport=websocket HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        String nsPrefix = namespace.equals("/") ? "" : namespace + ",";
        connect = Frames.maskedText("40" + nsPrefix);
        join = room == null ? null : Frames.maskedText("42" + nsPrefix + "[\"join\",\"" + room + "\"]");
        enginePong = Frames.maskedText("3");
        pong = Frames.maskedControl(0xA);
        benchPrefix = Frames.bytes("42" + nsPrefix + "[\"" + benchEvent + "\",");
        joinedPrefix = Frames.bytes("42" + nsPrefix + "[\"joined\"");
    }
}
