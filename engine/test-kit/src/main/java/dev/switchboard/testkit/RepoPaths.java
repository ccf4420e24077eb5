package dev.switchboard.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the repository root from a test's working directory (Maven runs each module's tests in the module
 * folder), so tests of any module find {@code test-support/node} and {@code scripts/}.
 * Override with system property {@code sb.repoRoot} or environment variable {@code SB_REPO_ROOT}.
 */
public final class RepoPaths {
    private static final String MARKER = "test-support/node/package.json";

    private RepoPaths() {
    }

    public static Path repoRoot() {
        String override = System.getProperty("sb.repoRoot", System.getenv("SB_REPO_ROOT"));
        if (override != null && !override.isBlank()) {
            Path root = Path.of(override).toAbsolutePath().normalize();
            if (!Files.isRegularFile(root.resolve(MARKER))) {
                throw new IllegalStateException("sb.repoRoot/SB_REPO_ROOT=" + root + " holds no " + MARKER);
            }
            return root;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (a folder holding " + MARKER + ") above " + start);
    }

    public static Path testSupport() {
        return repoRoot().resolve("test-support");
    }

    /** {@code test-support/node}: the npm packages and scripts (sio-driver.mjs, echo-server.mjs) tests use. */
    public static Path nodeDir() {
        return testSupport().resolve("node");
    }

    public static Path scripts() {
        return repoRoot().resolve("scripts");
    }
}
