package dev.greenlight.local.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DayOfWeek;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NCRONTAB and TimeSpan schedules, as the Functions timer trigger reads them. */
class ScheduleTest {

    // A Saturday.
    private static final ZonedDateTime T = ZonedDateTime.of(2026, 3, 7, 12, 3, 10, 0, ZoneOffset.UTC);

    private static ZonedDateTime next(String expression, ZonedDateTime after) {
        return Schedule.parse(expression, "F").next(after).orElseThrow();
    }

    @Test
    void every_five_minutes_fires_on_the_next_multiple_of_five_minutes() {
        assertThat(next("0 */5 * * * *", T)).isEqualTo(T.withMinute(5).withSecond(0));
        assertThat(next("0 */5 * * * *", T.withMinute(5).withSecond(0))).isEqualTo(T.withMinute(10).withSecond(0));
    }

    @Test
    void every_ten_seconds_fires_on_the_next_multiple_of_ten_seconds() {
        assertThat(next("*/10 * * * * *", T)).isEqualTo(T.withSecond(20));
        assertThat(next("*/10 * * * * *", T.withSecond(20))).isEqualTo(T.withSecond(30));
    }

    @Test
    void every_second_fires_one_second_later() {
        assertThat(next("*/1 * * * * *", T)).isEqualTo(T.plusSeconds(1));
    }

    @Test
    void day_of_week_counts_from_sunday_as_zero_and_accepts_names() {
        assertThat(next("0 30 9 * * 1-5", T).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
        assertThat(next("0 30 9 * * 1-5", T)).isEqualTo(ZonedDateTime.of(2026, 3, 9, 9, 30, 0, 0, ZoneOffset.UTC));
        assertThat(next("0 0 9 * * 0", T).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        assertThat(next("0 0 9 * * 6", T.withHour(8)).getDayOfWeek()).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(next("0 0 9 * * SUN", T).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        assertThat(next("0 0 9 * * Mon", T).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
    }

    @Test
    void a_fixed_time_fires_on_that_day_and_month() {
        assertThat(next("0 0 0 1 1 *", T)).isEqualTo(ZonedDateTime.of(2027, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(next("0 15 10 * JAN *", T)).isEqualTo(ZonedDateTime.of(2027, 1, 1, 10, 15, 0, 0, ZoneOffset.UTC));
    }

    @Test
    void a_time_span_repeats_its_interval() {
        assertThat(next("00:05:00", T)).isEqualTo(T.plusMinutes(5));
        assertThat(next("1.02:00:30", T)).isEqualTo(T.plusDays(1).plusHours(2).plusSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/5 * * * *", "0 */5 * * * * *", "61 * * * * *", "0 0 25 * * *", "0 0 0 * * 8",
            "every minute", "25:00:00", "00:00:00", "1:2"})
    void rejects_an_invalid_schedule_naming_the_function(String expression) {
        assertThatThrownBy(() -> Schedule.parse(expression, "SyncCheck"))
                .isInstanceOf(LocalHostException.class)
                .hasMessageStartingWith("function SyncCheck: invalid schedule '" + expression + "'");
    }
}
