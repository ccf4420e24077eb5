package dev.switchboard.redis;

/** A message read from Redis that does not have the expected shape; it is dropped and logged. */
final class MalformedMessageException extends Exception {
    MalformedMessageException(String reason) {
        super(reason, null, false, false);
    }
}
