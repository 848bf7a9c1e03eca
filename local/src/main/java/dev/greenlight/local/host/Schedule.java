package dev.greenlight.local.host;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A timer trigger's schedule: NCRONTAB with six fields ({@code second minute hour day month
 * day-of-week}, day-of-week 0–6 from Sunday, names allowed) or a TimeSpan {@code [d.]hh:mm:ss}
 * repeating interval, the two forms the Functions timer trigger takes.
 */
interface Schedule {

    /** The first occurrence strictly after {@code after}; empty when there is none. */
    Optional<ZonedDateTime> next(ZonedDateTime after);

    /**
     * Parses a schedule.
     *
     * @throws LocalHostException naming the function when the expression is not valid
     */
    static Schedule parse(String expression, String functionName) {
        String expr = expression.trim();
        return expr.indexOf(':') >= 0 ? Interval.parse(expr, functionName) : Ncrontab.parse(expr, functionName);
    }

    /** NCRONTAB through cron-utils, with a definition matching NCrontab's six fields. */
    record Ncrontab(String expression, ExecutionTime executionTime) implements Schedule {

        // Like cron-utils' Spring definition (also second-first, six fields), minus '?', L, W and #,
        // which NCRONTAB does not have; 7 is accepted as Sunday as in most crons.
        private static final CronDefinition DEFINITION = CronDefinitionBuilder.defineCron()
                .withSeconds().withValidRange(0, 59).and()
                .withMinutes().withValidRange(0, 59).and()
                .withHours().withValidRange(0, 23).and()
                .withDayOfMonth().withValidRange(1, 31).and()
                .withMonth().withValidRange(1, 12).and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).and()
                .instance();
        private static final CronParser PARSER = new CronParser(DEFINITION);

        static Ncrontab parse(String expression, String functionName) {
            if (expression.split("\\s+").length != 6) {
                throw invalid(functionName, expression,
                        "NCRONTAB needs six fields: {second} {minute} {hour} {day} {month} {day-of-week}");
            }
            try {
                return new Ncrontab(expression, ExecutionTime.forCron(PARSER.parse(expression)));
            } catch (IllegalArgumentException e) {
                throw invalid(functionName, expression, e.getMessage());
            }
        }

        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return executionTime.nextExecution(after);
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    /** A TimeSpan schedule: every {@code period}, the first one {@code period} after the start. */
    record Interval(String expression, Duration period) implements Schedule {

        private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})");

        static Interval parse(String expression, String functionName) {
            Matcher m = TIME_SPAN.matcher(expression);
            if (!m.matches()) {
                throw invalid(functionName, expression, "a TimeSpan schedule is [d.]hh:mm:ss");
            }
            int hours = Integer.parseInt(m.group(2));
            int minutes = Integer.parseInt(m.group(3));
            int seconds = Integer.parseInt(m.group(4));
            if (hours > 23 || minutes > 59 || seconds > 59) {
                throw invalid(functionName, expression, "hours must be 0-23, minutes and seconds 0-59");
            }
            Duration period = Duration.ofDays(m.group(1) == null ? 0 : Long.parseLong(m.group(1)))
                    .plusHours(hours).plusMinutes(minutes).plusSeconds(seconds);
            if (period.isZero()) {
                throw invalid(functionName, expression, "the interval must be longer than zero");
            }
            return new Interval(expression, period);
        }

        @Override
        public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return Optional.of(after.plus(period));
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    private static LocalHostException invalid(String functionName, String expression, String why) {
        return new LocalHostException("function " + functionName + ": invalid schedule '" + expression + "': " + why);
    }
}
