package dev.switchboard.namespaces.files;

/**
 * The {@code change} event: {@code type} is created, modified or deleted; {@code watch} is the watched path
 * the change belongs to; {@code size} in bytes and {@code mtime} in ms since the epoch (last known for deleted).
 */
public record FileChange(String watch, String type, String path, boolean isDirectory, long size, long mtime) {
}
