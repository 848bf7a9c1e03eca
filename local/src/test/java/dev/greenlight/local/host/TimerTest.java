package dev.greenlight.local.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Timer functions: %SETTING% in the schedule, running on schedule and on demand, startup errors. */
class TimerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void runs_a_timer_on_demand_with_the_timer_info_and_its_settings() throws Exception {
        Path app = TestApp.stage(tmp.resolve("app"));
        Map<String, String> env = Map.of("TICK_SCHEDULE", "0 0 0 1 1 *", "TICK_MESSAGE", "from settings");
        try (LocalHost host = LocalHost.start(TestApp.options(app, tmp.resolve("data"), env));
             LogCapture log = LogCapture.of("Function.Tick")) {

            host.triggerTimer("Tick");

            String message = log.drain().get(0);
            assertThat(message).endsWith(" message=from settings");
            JsonNode info = JSON.readTree(message.substring("tick ".length(), message.indexOf(" message=")));
            assertThat(info.path("IsPastDue").asBoolean(true)).isFalse();
            assertThat(info.has("Schedule")).isTrue();
            assertThat(info.has("ScheduleStatus")).isTrue();
            assertThat(host.functions()).anySatisfy(f -> assertThat(f.trigger())
                    .isEqualTo(new FunctionDefinition.Timer("0 0 0 1 1 *", false)));
        }
    }

    @Test
    void runs_a_timer_on_its_ncrontab_schedule_resolved_from_a_setting() throws Exception {
        Path app = TestApp.stage(tmp.resolve("app"));
        try (LogCapture functionLog = LogCapture.of("Function.Tick");
             LogCapture hostLog = LogCapture.of(TimerScheduler.class.getName());
             LocalHost host = LocalHost.start(TestApp.options(app, tmp.resolve("data"),
                     Map.of("TICK_SCHEDULE", "*/1 * * * * *")))) {

            functionLog.await(m -> m.startsWith("tick "), Duration.ofSeconds(10));
            functionLog.await(m -> m.startsWith("tick "), Duration.ofSeconds(10));
            hostLog.await(m -> m.startsWith("timer Tick ran in "), Duration.ofSeconds(10));
        }
    }

    @Test
    void fails_to_start_naming_an_unresolved_setting_and_its_function() throws Exception {
        Path app = TestApp.stage(tmp.resolve("app"));

        assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"), Map.of())))
                .isInstanceOf(LocalHostException.class)
                .hasMessageContaining("function Tick")
                .hasMessageContaining("setting TICK_SCHEDULE is not set");
    }

    @Test
    void fails_to_start_naming_the_function_with_an_invalid_schedule() throws Exception {
        Path app = TestApp.stage(tmp.resolve("app"));

        assertThatThrownBy(() -> LocalHost.start(TestApp.options(app, tmp.resolve("data"),
                Map.of("TICK_SCHEDULE", "*/5 * * * *"))))
                .isInstanceOf(LocalHostException.class)
                .hasMessageStartingWith("function Tick: invalid schedule '*/5 * * * *'");
    }

    @Test
    void refuses_to_trigger_a_function_that_is_not_a_timer() throws Exception {
        Path app = TestApp.stage(tmp.resolve("app"));
        Map<String, String> env = new LinkedHashMap<>(Map.of("TICK_SCHEDULE", "00:10:00"));
        try (LocalHost host = LocalHost.start(TestApp.options(app, tmp.resolve("data"), env))) {
            assertThatThrownBy(() -> host.triggerTimer("Echo"))
                    .isInstanceOf(LocalHostException.class)
                    .hasMessageContaining("no timer function named Echo");
        }
    }
}
