package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the timer functions on their schedules. One scheduler thread only keeps time; runs go to
 * a separate pool so a slow function never delays another timer. A tick that comes while the
 * same function is still running is skipped, as the Functions timer trigger does.
 * Times are in the clock's zone (the machine's, like Core Tools).
 */
final class TimerScheduler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TimerScheduler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    // A tick this late counts as past due (the machine slept, or the scheduler was starved).
    private static final Duration PAST_DUE = Duration.ofSeconds(1);

    private static final class Timer {
        final EntryPoint entryPoint;
        final Schedule schedule;
        final boolean runOnStartup;
        final AtomicBoolean running = new AtomicBoolean();

        Timer(EntryPoint entryPoint, Schedule schedule, boolean runOnStartup) {
            this.entryPoint = entryPoint;
            this.schedule = schedule;
            this.runOnStartup = runOnStartup;
        }
    }

    private final Map<String, Timer> timers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private final ExecutorService runner;
    private volatile boolean closed;

    /**
     * Parses every schedule; starts nothing yet.
     *
     * @throws LocalHostException naming the function whose schedule is invalid
     */
    TimerScheduler(List<EntryPoint> timerEntryPoints, Clock clock, ThreadFactory runnerThreads) {
        for (EntryPoint ep : timerEntryPoints) {
            FunctionDefinition.Timer t = (FunctionDefinition.Timer) ep.definition().trigger();
            timers.put(ep.name(), new Timer(ep, Schedule.parse(t.schedule(), ep.name()), t.runOnStartup()));
        }
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "greenlight-timer-ticker");
            thread.setDaemon(true);
            return thread;
        });
        this.runner = Executors.newCachedThreadPool(runnerThreads);
    }

    /** Schedules every timer's next tick, and runs those marked runOnStartup once now. */
    void start() {
        ZonedDateTime now = ZonedDateTime.now(clock);
        for (Timer timer : timers.values()) {
            LOG.info(() -> "timer " + timer.entryPoint.name() + " scheduled '" + timer.schedule + "', next at "
                    + timer.schedule.next(now).map(Object::toString).orElse("never"));
            if (timer.runOnStartup) {
                fire(timer, now, false);
            }
            scheduleAfter(timer, now);
        }
    }

    /**
     * Runs a timer function now, on the calling thread, whatever its schedule.
     *
     * @throws LocalHostException when there is no such timer function, or it failed
     */
    void runNow(String functionName) {
        Timer timer = timers.get(functionName);
        if (timer == null) {
            throw new LocalHostException("no timer function named " + functionName + "; timers: " + timers.keySet());
        }
        Throwable failure = run(timer, false);
        if (failure != null) {
            throw new LocalHostException("timer function " + timer.entryPoint.name() + " failed: " + failure, failure);
        }
    }

    private void scheduleAfter(Timer timer, ZonedDateTime after) {
        if (closed) {
            return;
        }
        timer.schedule.next(after).ifPresentOrElse(next -> {
            long delay = Math.max(0, ChronoUnit.MICROS.between(ZonedDateTime.now(clock), next));
            ticker.schedule(() -> tick(timer, next), delay, TimeUnit.MICROSECONDS);
        }, () -> LOG.info(() -> "timer " + timer.entryPoint.name() + " has no further occurrence"));
    }

    private void tick(Timer timer, ZonedDateTime due) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        // Plan from the due time when on time, so an early wake-up cannot fire twice; from now
        // when late, so missed occurrences are not replayed in a burst.
        scheduleAfter(timer, now.isAfter(due) ? now : due);
        fire(timer, due, Duration.between(due, now).compareTo(PAST_DUE) > 0);
    }

    private void fire(Timer timer, ZonedDateTime due, boolean pastDue) {
        if (!timer.running.compareAndSet(false, true)) {
            LOG.info(() -> "timer " + timer.entryPoint.name() + ": skipped the run due at " + due
                    + ", the previous run is still going");
            return;
        }
        try {
            runner.execute(() -> {
                try {
                    run(timer, pastDue);
                } finally {
                    timer.running.set(false);
                }
            });
        } catch (RuntimeException e) {
            timer.running.set(false); // rejected: the host is closing
        }
    }

    /** Runs the function once; returns what it threw, or null. */
    private Throwable run(Timer timer, boolean pastDue) {
        String name = timer.entryPoint.name();
        LocalExecutionContext context = timer.entryPoint.newContext();
        long start = System.nanoTime();
        try {
            timer.entryPoint.invoke(Invocation.trigger(timerInfo(pastDue), context));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.info(() -> "timer " + name + " ran in " + ms + " ms (invocation " + context.getInvocationId() + ")");
            return null;
        } catch (Throwable t) {
            Failures.log(LOG, "timer " + name + " failed (invocation " + context.getInvocationId() + ")", t);
            return t;
        }
    }

    /** The timer info the Java worker passes as a String: {@code {"Schedule":..,"ScheduleStatus":..,"IsPastDue":..}}. */
    static String timerInfo(boolean pastDue) {
        ObjectNode info = JSON.createObjectNode();
        info.putObject("Schedule").put("AdjustForDST", true);
        info.putNull("ScheduleStatus");
        info.put("IsPastDue", pastDue);
        return info.toString();
    }

    /** Stops ticking, and waits briefly for running timer functions. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        runner.shutdown();
        try {
            if (!runner.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warning("timer functions still running after 5 s; interrupting them");
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            runner.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
