package dev.switchboard.namespaces.services;

import java.io.Closeable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.AsyncDockerCmd;

/**
 * One streaming Docker request (a log follow or read, a stats stream, the events stream) that can be cancelled at
 * any moment. docker-java runs it on its own thread and hands over the response in {@code onStart} only when
 * dockerd answers; its callback forgets a {@code close()} that came before that (onStart marks it open again), so
 * a follow cancelled while starting would run for good. Here a cancel before the answer is remembered and the
 * response is closed the moment it arrives. Counted in {@link DockerClients#openStreams()} from {@link #start} to
 * its end.
 */
abstract class DockerFollow<T> extends ResultCallback.Adapter<T> {
    private static final Logger log = LoggerFactory.getLogger(DockerFollow.class);

    private final DockerClients docker;
    private final String kind;
    private final String container;
    private final CountDownLatch finished = new CountDownLatch(1);
    private Closeable response; // guarded by this
    private boolean cancelled; // guarded by this
    private boolean ended; // guarded by this

    DockerFollow(DockerClients docker, String kind, String container) {
        this.docker = docker;
        this.kind = kind;
        this.container = container;
    }

    /** An item of the stream (not called once cancelled). */
    protected abstract void item(T item);

    /** The stream ended by itself ({@code error} null: dockerd closed it); not called once cancelled. */
    protected abstract void ended(Throwable error);

    /** Sends the request; the stream runs on docker-java's thread until it ends or is cancelled. */
    final void start(AsyncDockerCmd<?, T> cmd) {
        docker.streamOpened();
        try {
            cmd.exec(this);
        } catch (RuntimeException e) {
            onError(e);
        }
    }

    /**
     * Ends the stream and silences it. Closing an open response may block briefly on its connection, so it is
     * closed on {@code executor}; before dockerd answered, the response is closed on arrival instead.
     */
    final void cancel(Executor executor) {
        Closeable current;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            current = response;
        }
        if (current != null) {
            try {
                executor.execute(() -> closeQuietly(current));
            } catch (RejectedExecutionException e) {
                closeQuietly(current); // shutting down
            }
        }
    }

    /** Waits for the end (for one-shot reads); false when the time ran out first. */
    final boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    @Override
    public final void onStart(Closeable stream) {
        boolean cancelledMeanwhile;
        synchronized (this) {
            response = stream;
            cancelledMeanwhile = cancelled;
        }
        super.onStart(stream);
        if (cancelledMeanwhile) {
            closeQuietly(stream); // on docker-java's own thread, which is about to read it
        }
    }

    @Override
    public final void onNext(T item) {
        if (!isCancelled()) {
            item(item);
        }
    }

    @Override
    public final void onError(Throwable error) {
        finish(error);
    }

    @Override
    public final void onComplete() {
        finish(null);
    }

    private void finish(Throwable error) {
        boolean report;
        synchronized (this) {
            if (ended) {
                return; // docker-java may report an error, then the completion
            }
            ended = true;
            report = !cancelled;
        }
        docker.streamEnded();
        try {
            if (report) {
                ended(error);
            }
        } finally {
            finished.countDown(); // after ended(): a reader awaiting the end sees what it recorded
        }
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    private void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing docker stream failed kind={} container={}", kind, container, e);
        }
    }
}
