package dev.switchboard.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/** One long-polling HTTP request (GET or POST) waiting for its answer; answered at most once. */
final class PollRequest {
    final Channel channel;
    final boolean keepAlive;
    final HttpHeaders corsHeaders; // null when CORS does not apply
    final byte[] body;            // POST body, empty for GET
    final boolean octetStream;    // POST Content-Type application/octet-stream
    private boolean answered;

    PollRequest(Channel channel, boolean keepAlive, HttpHeaders corsHeaders, byte[] body, boolean octetStream) {
        this.channel = channel;
        this.keepAlive = keepAlive;
        this.corsHeaders = corsHeaders;
        this.body = body;
        this.octetStream = octetStream;
    }

    boolean answered() {
        return answered;
    }

    void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf content) {
        if (answered) {
            content.release();
            return;
        }
        answered = true;
        HttpResponses.write(channel, keepAlive, status, contentType, content, corsHeaders);
    }

    void error(int code) {
        if (answered) return;
        answered = true;
        HttpResponses.engineError(channel, keepAlive, code, corsHeaders);
    }
}
