package dev.faultline.core.experiment;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a run on a thread of its own, so that whatever happens to the caller's thread (an interrupt,
 * or jshell's Ctrl-C, which stops the snippet's thread) becomes an abort that the run handles,
 * reverting everything, rather than an exception in the middle of it.
 */
final class RunThread {

    private RunThread() {}

    /**
     * Runs {@code body} on a new thread for run {@code runId} and returns its result; an interrupt of the
     * caller calls {@code abort} with the reason and keeps waiting, and is restored on the caller at the end.
     */
    static <T> T call(String runId, Supplier<T> body, Consumer<String> abort) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                done.complete(body.get());
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "faultline-run-" + runId);
        worker.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    abort.accept("aborted: the run was interrupted");
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("run " + runId + " failed", cause);
                }
            }
        } catch (ThreadDeath stopped) {
            abort.accept("aborted: the run was stopped");
            awaitUninterruptibly(done);
            throw stopped;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitUninterruptibly(CompletableFuture<?> done) {
        boolean interrupted = false;
        while (!done.isDone()) {
            try {
                done.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
