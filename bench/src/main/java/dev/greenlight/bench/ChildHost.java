package dev.greenlight.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The local host as a separate process, started the way a user starts it:
 * {@code java -Dsun.net.httpserver.nodelay=true -jar local/target/greenlight-local.jar start ...}.
 * Its output is drained (so it never blocks on a full pipe) and kept with arrival times.
 * Every child is killed on {@link #close()} and, should the benchmark die first, by a shutdown hook.
 */
final class ChildHost implements AutoCloseable {
    // Long enough for a JVM writing a class-data sharing archive at exit.
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildHost::kill), "bench-kill-children"));
    }

    /** The host is no longer running: its exit status and output are in the message. */
    static final class Exited extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Exited(String message) {
            super(message);
        }
    }

    /** One line of the child's output and when it arrived, in ns after the spawn. */
    record Line(long nanosAfterSpawn, String text) {
    }

    /**
     * What to start.
     *
     * @param workDir  the child's working directory (no {@code local.settings.json} there)
     * @param settings GREENLIGHT_* settings given as environment variables (they win over the embedded default)
     * @param jvmArgs  extra JVM options before {@code -jar}
     */
    record Spec(Project project, Path workDir, Path dataDir, int port, Map<String, String> settings,
                List<String> jvmArgs) {
        Spec {
            settings = Map.copyOf(settings);
            jvmArgs = List.copyOf(jvmArgs);
        }

        List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Dsun.net.httpserver.nodelay=true");
            command.addAll(jvmArgs);
            command.addAll(List.of("-jar", project.localJar().toString(), "start",
                    "--app", project.appDir().toString(), "--port", Integer.toString(port),
                    "--data", dataDir.toString(), "--no-access-log"));
            return command;
        }
    }

    private final Spec spec;
    private final Process process;
    private final long spawnedAt;
    private final List<Line> output = new CopyOnWriteArrayList<>();

    private ChildHost(Spec spec, Process process, long spawnedAt) {
        this.spec = spec;
        this.process = process;
        this.spawnedAt = spawnedAt;
    }

    /** Spawns the host; returns at once (the host is not ready yet). */
    static ChildHost spawn(Spec spec) {
        ProcessBuilder builder = new ProcessBuilder(spec.command())
                .directory(spec.workDir().toFile())
                .redirectErrorStream(true);
        // Only the settings given here: none leaks in from the shell that runs the benchmark.
        builder.environment().keySet().removeIf(name -> name.startsWith("GREENLIGHT_"));
        builder.environment().putAll(spec.settings());
        long spawnedAt = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.command(), e);
        }
        LIVE.add(process);
        ChildHost child = new ChildHost(spec, process, spawnedAt);
        Thread drain = new Thread(child::drain, "bench-child-output");
        drain.setDaemon(true);
        drain.start();
        return child;
    }

    /** A port that was free a moment ago (bound to 0, then released). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return spec.port();
    }

    long pid() {
        return process.pid();
    }

    long spawnedAt() {
        return spawnedAt;
    }

    List<Line> output() {
        return List.copyOf(output);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Fails, with the host's exit status and output, when the host is no longer running: a
     * measurement against a dead host would only count refused connections.
     */
    void requireAlive() {
        if (!process.isAlive()) {
            int status = process.exitValue();
            throw new Exited("the host exited with status " + status
                    + (status > 128 ? " (killed by signal " + (status - 128) + ")" : "") + "; its output:\n"
                    + outputText());
        }
    }

    /**
     * Polls {@code request} on a fresh connection every {@code every} until the answer is 200, and
     * returns the nanoTime when it came. Refused connections and non-200 answers mean not ready.
     *
     * @throws IllegalStateException when the child exits or the timeout passes, with its output
     */
    long awaitOk(byte[] request, Duration every, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            requireAlive();
            try (HttpConnection connection = new HttpConnection(spec.port())) {
                HttpConnection.Response response = connection.exchange(request);
                if (response.status() == 200) {
                    return System.nanoTime();
                }
                last = response.status() + " " + response.text();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(every);
        }
        throw new IllegalStateException("the host did not answer 200 within " + timeout + " (last: " + last
                + "); its output:\n" + outputText());
    }

    String outputText() {
        StringBuilder text = new StringBuilder();
        output.forEach(line -> text.append("  | ").append(line.text()).append('\n'));
        return text.toString();
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(new Line(System.nanoTime() - spawnedAt, line));
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** Asks the host to stop (SIGTERM: it drains and closes), then kills it after a grace period. */
    @Override
    public void close() {
        kill(process);
        LIVE.remove(process);
    }

    private static void kill(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
