package dev.greenlight.store.blob;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running Azurite Blob service on a free local port, in memory, started from the copy the build
 * installs with npm into {@code target/azurite} (system property {@code azurite.home} overrides
 * it). {@link AzuriteExtension} starts one per test JVM; {@link #close()} stops it.
 */
public final class Azurite implements AutoCloseable {
    public static final String ACCOUNT = "devstoreaccount1";
    // Azurite's fixed development account key, published in Microsoft's Azurite documentation and
    // accepted by every Azurite; it opens nothing but a local emulator, so it is not a secret.
    private static final String DEV_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Duration startup;
    private final Path log;

    private Azurite(Process process, int port, Duration startup, Path log) {
        this.process = process;
        this.port = port;
        this.startup = startup;
        this.log = log;
    }

    /** The connection string of the emulator's account, as Azure's SDKs take it. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + DEV_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** How long the process took to accept connections. */
    public Duration startup() {
        return startup;
    }

    /**
     * Starts Azurite and waits until it accepts connections.
     *
     * @throws IllegalStateException when Node.js or the installed Azurite is missing, or it does
     *                               not come up within 30 s (with Azurite's own output)
     */
    public static Azurite start() {
        Path home = Path.of(System.getProperty("azurite.home", "target/azurite")).toAbsolutePath();
        Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.isRegularFile(main)) {
            throw new IllegalStateException("Azurite is not installed: " + main + " is missing. The build installs it"
                    + " with npm in the generate-test-resources phase (Node.js and npm must be on PATH), so run the tests"
                    + " through Maven (mvn test -pl functions), or install it by hand:"
                    + " npm install --prefix " + home + " azurite@3.37.0");
        }
        // A free port can be taken between probing and binding; then Azurite exits and we retry.
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return start(home, main, freePort());
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw last;
    }

    private static Azurite start(Path home, Path main, int port) {
        Path log = home.resolve("azurite-" + port + ".log");
        List<String> command = List.of("node", main.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose",
                // No network here, and no reason to report test runs anywhere.
                "--disableTelemetry");
        long begin = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Azurite: Node.js ('node') must be on PATH (" + e.getMessage() + ")", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "azurite-stop"));
        long deadline = begin + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = read(log);
                String why = "Azurite exited with code " + process.exitValue() + " before listening on port " + port
                        + ". Its output:\n" + output;
                throw output.contains("EADDRINUSE") ? new PortTaken(why) : new IllegalStateException(why);
            }
            if (accepts(port)) {
                return new Azurite(process, port, Duration.ofNanos(System.nanoTime() - begin), log);
            }
            // Polling a child process that announces readiness only by listening.
            pause(Duration.ofMillis(50));
        }
        process.destroyForcibly();
        throw new IllegalStateException("Azurite did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s. Its output:\n" + read(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // only the log of a run that went well: leave it
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azurite", e);
        }
    }

    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }
}
