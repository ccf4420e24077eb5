package dev.switchboard.namespaces.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.namespaces.core.ProducerException;

/**
 * Decides which paths a client may watch: only those whose canonical form ({@code toRealPath}, symlinks
 * resolved) lies under a configured root, so {@code ..}, symlinks and absolute paths cannot escape.
 * A relative path is taken relative to the first root.
 */
public final class PathGuard {
    private static final Logger log = LoggerFactory.getLogger(PathGuard.class);
    static final int MAX_PATH_LENGTH = 4096;

    private final List<Path> roots;

    public PathGuard(List<Path> configuredRoots) {
        List<Path> canonical = new ArrayList<>();
        for (Path root : configuredRoots) {
            try {
                canonical.add(root.toAbsolutePath().toRealPath());
            } catch (IOException e) {
                log.warn("files root skipped root={} reason={}", root, e.toString());
            }
        }
        this.roots = List.copyOf(canonical);
    }

    /** The canonical roots clients may watch under. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The canonical path of {@code requested}.
     *
     * @throws ProducerException FORBIDDEN outside the roots (or when none are configured), NOT_FOUND when it does
     *                           not exist under a root, BAD_REQUEST when it is not a usable path
     */
    public Path resolve(String requested) throws ProducerException {
        if (roots.isEmpty()) {
            throw new ProducerException("FORBIDDEN", "no roots are configured for /files (FILES_ROOTS): every watch is refused");
        }
        if (requested == null || requested.isBlank() || requested.length() > MAX_PATH_LENGTH || requested.indexOf('\0') >= 0) {
            throw new ProducerException("BAD_REQUEST", "path must be a non-empty string of at most " + MAX_PATH_LENGTH + " characters");
        }
        Path lexical;
        try {
            Path given = Paths.get(requested);
            lexical = (given.isAbsolute() ? given : roots.get(0).resolve(given)).normalize();
        } catch (InvalidPathException e) {
            throw new ProducerException("BAD_REQUEST", "not a valid path: " + e.getReason());
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (IOException e) {
            // Say "not found" only where the client may look: never behind a link that leads outside the roots,
            // where it would tell a missing file from an existing one
            if (!underRoot(lexical) || !deepestExistingIsUnderRoot(lexical)) {
                throw forbidden(requested);
            }
            throw e instanceof NoSuchFileException
                    ? new ProducerException("NOT_FOUND", "no such file or folder: " + requested)
                    : new ProducerException("NOT_FOUND", "cannot access " + requested + ": " + e.getClass().getSimpleName());
        }
        if (!underRoot(real)) {
            throw forbidden(requested);
        }
        return real;
    }

    /** Whether the deepest part of {@code lexical} that exists really (links followed) lies under a root. */
    private boolean deepestExistingIsUnderRoot(Path lexical) {
        for (Path part = lexical; part != null; part = part.getParent()) {
            if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    return underRoot(part.toRealPath());
                } catch (IOException e) {
                    return false; // a dangling link: where it leads is not ours to tell
                }
            }
        }
        return false;
    }

    private boolean underRoot(Path path) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    private static ProducerException forbidden(String requested) {
        return new ProducerException("FORBIDDEN", "path is outside the allowed roots: " + requested);
    }
}
