package dev.greenlight.local.cli;

import dev.greenlight.config.Settings;
import dev.greenlight.errors.Misconfigured;
import dev.greenlight.local.host.LocalHost;
import dev.greenlight.local.host.LocalHostException;
import dev.greenlight.local.host.LocalSettings;
import dev.greenlight.local.seed.EmbeddedDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greenlight start}: runs the packaged app on the local host with the embedded default. */
@Command(name = "start", description = "Run the packaged Functions app on http://localhost:<port> (Ctrl-C stops it).")
final class StartCommand implements Callable<Integer> {

    @Option(names = "--app", description = "Staged app folder (default: the one the launcher names, "
            + "else functions/target/azure-functions/greenlight).")
    Path app;

    @Option(names = "--port", description = "Port on localhost (default: Host.LocalHttpPort, else 7071; 0 = any free port).")
    Integer port;

    @Option(names = "--data", defaultValue = ".greenlight", description = "Data folder of the embedded default (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--settings", defaultValue = "local.settings.json",
            description = "local.settings.json whose Values override the embedded default (default: ${DEFAULT-VALUE}).")
    Path settingsFile;

    @Option(names = "--no-access-log", negatable = false, description = "Do not log a line per request.")
    boolean noAccessLog;

    @Override
    public Integer call() throws Exception {
        Path appDir = app != null ? app : defaultAppDir();
        if (!Files.isDirectory(appDir)) {
            System.err.println("greenlight: no staged app at " + appDir
                    + " (build it with: mvn -B -DskipTests package)");
            return 2;
        }
        EmbeddedDefault embedded = new EmbeddedDefault(data);
        LocalSettings explicit = LocalSettings.load(settingsFile, System.getenv());
        Map<String, String> settings = LocalConfig.settings(data, settingsFile);
        try {
            Settings.from(settings); // the app's own check, before anything is seeded or listens
            embedded.seedIfEmpty(settings);
        } catch (Misconfigured e) {
            System.err.println("greenlight start: " + e.getMessage());
            return 2;
        }

        int listen = port != null ? port : explicit.localHttpPort().orElse(LocalHost.Options.DEFAULT_PORT);
        LocalHost.Options options = new LocalHost.Options(appDir, listen, data, null, settings, !noAccessLog);
        LocalHost host;
        try {
            host = LocalHost.start(options).closeOnShutdown();
        } catch (LocalHostException e) {
            // A port in use, an app that refuses to load: one line saying which, not a stack trace.
            System.err.println("greenlight start: " + e.getMessage());
            return 2;
        }
        host.describeFunctions().forEach(line -> System.out.println("  " + line));
        System.out.println("Greenlight is serving " + settings.get("GREENLIGHT_MODELS") + " on "
                + host.baseUri() + "/api (keys in " + data.resolve("secrets") + "; Ctrl-C stops)");
        host.awaitClosed();
        return 0;
    }

    private static Path defaultAppDir() {
        // The ./greenlight launcher passes the staged app of its own checkout.
        return Path.of(System.getProperty("greenlight.appDir", "functions/target/azure-functions/greenlight"));
    }
}
