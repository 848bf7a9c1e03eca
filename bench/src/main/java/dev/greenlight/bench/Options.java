package dev.greenlight.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line knobs, {@code --name value}; every one has a default sized for a full run on a
 * small machine. {@link #rerun} renders the command that repeats a run with the same knobs.
 */
final class Options {
    private static final List<String> FLAGS = List.of("keep", "cds");
    private final Map<String, String> values = new HashMap<>();
    private final List<String> args;

    Options(List<String> args) {
        this.args = List.copyOf(args);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + arg);
            }
            if (FLAGS.contains(arg.substring(2))) {
                values.put(arg.substring(2), "true");
            } else if (i + 1 < args.size()) {
                values.put(arg.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
    }

    Duration seconds(String name, double defaultSeconds) {
        double s = Double.parseDouble(values.getOrDefault(name, Double.toString(defaultSeconds)));
        return Duration.ofNanos((long) (s * 1e9));
    }

    int integer(String name, int defaultValue) {
        return Integer.parseInt(values.getOrDefault(name, Integer.toString(defaultValue)));
    }

    /** A space-separated list, e.g. {@code --child-jvm "-Xshare:auto -XX:TieredStopAtLevel=1"}; empty by default. */
    List<String> words(String name) {
        String value = values.getOrDefault(name, "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    /** Whether to leave the temporary data folders behind for inspection. */
    boolean keep() {
        return flag("keep");
    }

    /** Whether a flag without value ({@code --keep}, {@code --cds}) was given. */
    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The command that repeats this benchmark with the same options. */
    String rerun(String which) {
        StringBuilder quoted = new StringBuilder();
        args.forEach(a -> quoted.append(' ').append(a.contains(" ") ? "'" + a + "'" : a));
        return "bench/run.sh " + which + quoted + "   (or: java -jar bench/target/greenlight-bench.jar " + which
                + quoted + ")";
    }
}
