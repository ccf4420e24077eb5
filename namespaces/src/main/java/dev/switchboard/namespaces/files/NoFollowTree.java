package dev.switchboard.namespaces.files;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;

/**
 * Reads entries below a trusted folder (a configured root, canonical) without following a link at any level.
 *
 * <p>A path like {@code root/a/b} is read by opening {@code root}, then {@code a} inside it, then reading {@code b}
 * inside that, each step refusing a link ({@code openat} with {@code O_NOFOLLOW} through
 * {@link SecureDirectoryStream}). So a folder swapped for a link to elsewhere between two steps is never walked
 * through: what is read is really under the root, whatever is renamed meanwhile. Where the platform has no
 * secure directory streams it falls back to checking, after each read, that the folder's real path is the one asked.
 */
final class NoFollowTree {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Told of each entry met by {@link #walk}; returns false to stop the walk. */
    interface Visitor {
        /** A folder about to be read (the starting one included), with its own attributes. */
        boolean folder(Path dir, BasicFileAttributes attrs);

        /** An entry of a folder that is not read further (a file, a link, or a folder at the depth bound). */
        boolean leaf(Path path, BasicFileAttributes attrs);
    }

    private final Path anchor;

    NoFollowTree(Path anchor) {
        this.anchor = anchor;
    }

    Path anchor() {
        return anchor;
    }

    /** The attributes of {@code path} itself (a link is not followed), or null when missing or not reachable. */
    BasicFileAttributes stat(Path path) {
        if (path.equals(anchor)) {
            try {
                return Files.readAttributes(anchor, BasicFileAttributes.class, NOFOLLOW);
            } catch (IOException e) {
                return null;
            }
        }
        if (!path.startsWith(anchor)) {
            return null;
        }
        try (Folder parent = open(path.getParent())) {
            return parent.attributes(path.getFileName());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Walks {@code from} (a folder at or below the anchor) down to {@code maxDepth} levels: entries at depth
     * {@code maxDepth} are given to {@link Visitor#leaf}, shallower folders to {@link Visitor#folder} and read.
     * Entries that vanish meanwhile are skipped; a link met anywhere is an entry, never followed.
     */
    void walk(Path from, int maxDepth, Visitor visitor) throws IOException {
        try (Folder start = open(from)) {
            if (visitor.folder(from, start.self())) {
                walk(start, 1, maxDepth, visitor);
            }
        }
    }

    private boolean walk(Folder folder, int depth, int maxDepth, Visitor visitor) throws IOException {
        try {
            return walkEntries(folder, depth, maxDepth, visitor);
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    private boolean walkEntries(Folder folder, int depth, int maxDepth, Visitor visitor) throws IOException {
        for (Iterator<Path> it = folder.entries(); it.hasNext(); ) {
            Path path = it.next();
            Path name = path.getFileName();
            BasicFileAttributes attrs;
            try {
                attrs = folder.attributes(name);
            } catch (IOException e) {
                continue; // gone meanwhile: its events tell the rest
            }
            if (!attrs.isDirectory() || depth >= maxDepth) {
                if (!visitor.leaf(path, attrs)) {
                    return false;
                }
                continue;
            }
            try (Folder child = folder.child(name)) {
                if (!visitor.folder(path, child.self()) || !walk(child, depth + 1, maxDepth, visitor)) {
                    return false;
                }
            } catch (FileSystemException e) {
                // replaced by a link or a file, or removed, since it was read: not walked
            }
        }
        return true;
    }

    /** {@code dir} (the anchor or below it), opened from the anchor one name at a time without following links. */
    private Folder open(Path dir) throws IOException {
        if (!dir.startsWith(anchor)) {
            throw new NoSuchFileException(dir.toString(), null, "not under " + anchor);
        }
        Folder folder = Folder.of(anchor);
        try {
            for (Path name : anchor.relativize(dir)) {
                if (name.toString().isEmpty()) {
                    continue; // dir is the anchor itself
                }
                Folder next = folder.child(name);
                folder.close();
                folder = next;
            }
            return folder;
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** One open folder: its entries, and its entries' attributes, each read without following a link. */
    private interface Folder extends Closeable {
        static Folder of(Path dir) throws IOException {
            DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
            return stream instanceof SecureDirectoryStream<Path> secure
                    ? new SecureFolder(dir, secure) : new CheckedFolder(dir, stream);
        }

        BasicFileAttributes self() throws IOException;

        Iterator<Path> entries();

        BasicFileAttributes attributes(Path name) throws IOException;

        Folder child(Path name) throws IOException;
    }

    private record SecureFolder(Path dir, SecureDirectoryStream<Path> stream) implements Folder {
        @Override
        public BasicFileAttributes self() throws IOException {
            return stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
        }

        @Override
        public Iterator<Path> entries() {
            return stream.iterator();
        }

        @Override
        public BasicFileAttributes attributes(Path name) throws IOException {
            return stream.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        }

        @Override
        public Folder child(Path name) throws IOException {
            return new SecureFolder(dir.resolve(name), stream.newDirectoryStream(name, NOFOLLOW));
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    /** Without secure streams: every read is followed by a check that no link led it elsewhere. */
    private record CheckedFolder(Path dir, DirectoryStream<Path> stream) implements Folder {
        @Override
        public BasicFileAttributes self() throws IOException {
            BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
            checkReal();
            return attrs;
        }

        @Override
        public Iterator<Path> entries() {
            return stream.iterator();
        }

        @Override
        public BasicFileAttributes attributes(Path name) throws IOException {
            BasicFileAttributes attrs = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class, NOFOLLOW);
            checkReal();
            return attrs;
        }

        @Override
        public Folder child(Path name) throws IOException {
            Path child = dir.resolve(name);
            if (Files.isSymbolicLink(child)) {
                throw new FileSystemException(child.toString(), null, "a link");
            }
            CheckedFolder folder = new CheckedFolder(child, Files.newDirectoryStream(child));
            try {
                folder.checkReal();
            } catch (IOException e) {
                folder.close();
                throw e;
            }
            return folder;
        }

        private void checkReal() throws IOException {
            if (!dir.toRealPath().equals(dir)) {
                throw new FileSystemException(dir.toString(), null, "reached through a link");
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
