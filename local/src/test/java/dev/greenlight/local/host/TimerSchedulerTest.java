package dev.greenlight.local.host;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler on its own, with a timer function from the test's class path that it can hold. */
class TimerSchedulerTest {

    /** A timer function that blocks until the test releases it. */
    public static class HeldTick {
        static final AtomicInteger STARTED = new AtomicInteger();
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        public void run(@TimerTrigger(name = "timer", schedule = "*/1 * * * * *") String timerInfo,
                        ExecutionContext context) throws InterruptedException {
            STARTED.incrementAndGet();
            RELEASE.await();
        }
    }

    @Test
    void skips_a_tick_while_the_previous_run_is_still_going() throws Exception {
        FunctionDefinition definition = new FunctionDefinition("HeldTick", Path.of("test.jar"),
                HeldTick.class.getName(), "run", new FunctionDefinition.Timer("*/1 * * * * *", false));
        EntryPoint entryPoint = EntryPoint.resolve(definition, getClass().getClassLoader());
        try (LogCapture log = LogCapture.of(TimerScheduler.class.getName());
             TimerScheduler scheduler = new TimerScheduler(List.of(entryPoint), Clock.systemDefaultZone(),
                     Executors.defaultThreadFactory())) {
            scheduler.start();

            log.await(m -> m.startsWith("timer HeldTick: skipped the run due at "), Duration.ofSeconds(10));
            assertThat(HeldTick.STARTED.get()).isEqualTo(1);
            HeldTick.RELEASE.countDown();
            log.await(m -> m.startsWith("timer HeldTick ran in "), Duration.ofSeconds(10));
        }
    }
}
