package dev.osmosis.app.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.osmosis.app.engine.ModelSettings;
import dev.osmosis.app.models.ModelSource;
import dev.osmosis.app.services.DirectTaskExecutor;
import dev.osmosis.app.services.TaskExecutor;
import dev.osmosis.engine.pipeline.GenerationCancelledException;
import dev.osmosis.engine.pipeline.GenerationRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobQueueTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static JobSpec spec(String prompt) {
        return new JobSpec(new ModelSource("m", Path.of("m"), false), ModelSettings.DEFAULT,
                GenerationRequest.builder().prompt(prompt).steps(3).build(), false, false);
    }

    private JobQueue.Listener<String> recorder() {
        return new JobQueue.Listener<>() {
            @Override
            public void finished(Job job, String output) {
                events.add("done " + output);
            }

            @Override
            public void failed(Job job, Throwable error) {
                events.add("failed " + job.spec().request().prompt() + ": " + error.getMessage());
            }

            @Override
            public void cancelled(Job job) {
                events.add("cancelled " + job.spec().request().prompt());
            }
        };
    }

    /** Runs background tasks on a real thread and UI tasks at once (the queue's own thread rules hold). */
    private static final class ThreadedExecutor implements TaskExecutor {
        final ExecutorService engine = Executors.newSingleThreadExecutor();

        @Override
        public void background(Runnable task) {
            engine.execute(task);
        }

        @Override
        public synchronized void ui(Runnable task) {
            task.run();
        }

        @Override
        public Cancellable uiLater(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            engine.shutdownNow();
        }
    }

    @Test
    void jobsRunInOrderAndReportTheirOutput() {
        JobQueue<String> q = new JobQueue<>(new DirectTaskExecutor(),
                (job, state, progress) -> job.spec().request().prompt().toUpperCase(), recorder());
        Job a = q.submit(spec("a"));
        q.submit(spec("b"));
        assertEquals(List.of("done A", "done B"), events);
        assertEquals(JobState.DONE, a.state());
        assertEquals(1.0, a.progressProperty().get());
        assertNull(q.running());
        assertFalse(q.busyProperty().get());
    }

    @Test
    void failuresAreReportedAndTheNextJobStillRuns() {
        JobQueue<String> q = new JobQueue<>(new DirectTaskExecutor(), (job, state, progress) -> {
            if (job.spec().request().prompt().equals("bad")) {
                throw new IllegalArgumentException("no such thing");
            }
            return "ok";
        }, recorder());
        Job bad = q.submit(spec("bad"));
        q.submit(spec("good"));
        assertEquals(List.of("failed bad: no such thing", "done ok"), events);
        assertEquals(JobState.FAILED, bad.state());
    }

    @Test
    void pendingJobsCanBeReorderedAndCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (ThreadedExecutor exec = new ThreadedExecutor()) {
            JobQueue<String> q = new JobQueue<>(exec, (job, state, progress) -> {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                ran.add(job.spec().request().prompt());
                return "";
            }, recorder());
            Job first;
            Job b;
            Job c;
            Job d;
            synchronized (exec) {
                first = q.submit(spec("first"));
                b = q.submit(spec("b"));
                c = q.submit(spec("c"));
                d = q.submit(spec("d"));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            synchronized (exec) {
                assertEquals(first, q.running());
                assertEquals(List.of(b, c, d), q.pending());
                assertTrue(q.move(d, -2));
                assertEquals(List.of(d, b, c), q.pending());
                assertTrue(q.moveTo(b, 2));
                assertEquals(List.of(d, c, b), q.pending());
                assertFalse(q.move(first, 1), "the running job is not in the pending list");
                q.cancel(c);
                assertEquals(JobState.CANCELLED, c.state());
                assertEquals(List.of(d, b), q.pending());
            }
            release.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (q.busyProperty().get() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(List.of("first", "d", "b"), ran);
        }
    }

    @Test
    void cancellingTheRunningJobStopsItBetweenSteps() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        try (ThreadedExecutor exec = new ThreadedExecutor()) {
            JobQueue<String> q = new JobQueue<>(exec, (job, state, progress) -> {
                started.countDown();
                for (int step = 0; step < 10_000; step++) {
                    if (job.token().isCancelled()) {
                        throw new GenerationCancelledException(step, 10_000);
                    }
                    Thread.sleep(1);
                }
                return "finished";
            }, recorder());
            Job job;
            synchronized (exec) {
                job = q.submit(spec("long"));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            synchronized (exec) {
                assertTrue(q.cancelRunning());
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (job.state() != JobState.CANCELLED && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertEquals(JobState.CANCELLED, job.state());
            assertEquals(List.of("cancelled long"), events);
            assertFalse(q.cancelRunning(), "nothing runs any more");
        }
    }
}
