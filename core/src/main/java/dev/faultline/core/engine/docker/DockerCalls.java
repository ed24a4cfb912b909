package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.NoEngineException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How every call to the engine is made: bounded in time, and any failure translated into an
 * {@link EngineException} (or {@link NoEngineException} when the engine did not answer) that
 * names what was being done and carries the engine's own words.
 */
final class DockerCalls {

    private final String endpoint;

    DockerCalls(String endpoint) {
        this.endpoint = endpoint;
    }

    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw wrap(what, e);
        }
    }

    void call(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** Runs a call that may legitimately take long on the streaming client, but never longer than {@code limit}. */
    <T> T bounded(String what, Duration limit, Supplier<T> action) {
        var future = CompletableFuture.supplyAsync(action, runnable -> {
            Thread t = new Thread(runnable, "faultline-docker-call");
            t.setDaemon(true);
            t.start();
        });
        try {
            return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EngineException(what + " did not answer within " + limit, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? wrap(what, re) : new EngineException(what + " failed: " + cause, cause);
        }
    }

    /** A call whose answer streams back: {@code call} starts it and waits with a bound. */
    @FunctionalInterface
    interface StreamedCall<T> {
        T run() throws InterruptedException;
    }

    /**
     * Runs a streamed call, turning every failure into an {@link EngineException} that names
     * {@code what}, and always closes the stream: a stream left open keeps a connection to the engine.
     */
    <T> T streamed(String what, AutoCloseable stream, StreamedCall<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(what + " interrupted", e);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw wrap(what, e);
        } finally {
            closeQuietly(stream);
        }
    }

    EngineException wrap(String what, RuntimeException e) {
        if (e instanceof EngineException ee) return ee;
        if (e instanceof NotFoundException) {
            return new EngineException(what + ": not found (" + describe(e) + ")", e);
        }
        if (!(e instanceof DockerException) && isConnectionProblem(e)) {
            return new NoEngineException(what + ": the Docker engine at " + endpoint + " did not answer ("
                    + describe(e) + "); " + DockerConnection.FIX, e);
        }
        return new EngineException(what + " failed: " + describe(e), e);
    }

    private static boolean isConnectionProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** The engine's own words when it answered (e.g. "Status 409: ..."), else the root cause, without wrapper class names. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root == e || e instanceof DockerException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage().strip());
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a finished stream or a client: nothing useful to report
        }
    }
}
