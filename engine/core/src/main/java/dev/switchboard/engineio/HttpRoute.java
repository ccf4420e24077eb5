package dev.switchboard.engineio;

/** A plain HTTP handler served on the Engine.IO port. Runs on a Netty I/O thread: must be quick, never block. */
@FunctionalInterface
public interface HttpRoute {
    HttpReply handle(HttpRouteRequest request) throws Exception;
}
