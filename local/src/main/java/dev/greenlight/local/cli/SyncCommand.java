package dev.greenlight.local.cli;

import dev.greenlight.app.Greenlight;
import dev.greenlight.config.Settings;
import dev.greenlight.config.SettingsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code greenlight sync}: runs the sync check now, in this process, against the same registry
 * and store the host uses (the lease keeps it from acting twice with a running instance).
 */
@Command(name = "sync", description = "Repair drift now: pointer, registry tags, undecided candidates, unconfirmed refresh targets.")
final class SyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = ".greenlight", description = "Data folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--settings", defaultValue = "local.settings.json", description = "local.settings.json (default: ${DEFAULT-VALUE}).")
    Path settingsFile;

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = Settings.from(LocalConfig.settings(data, settingsFile));
        } catch (SettingsException e) {
            spec.commandLine().getErr().println("greenlight sync: " + e.getMessage());
            return 2;
        }
        try (Greenlight greenlight = new Greenlight(settings, Clock.systemUTC())) {
            var result = greenlight.sync().run(Actor.current());
            spec.commandLine().getOut().println(result.toPrettyString());
            return result.has("skipped") ? 5 : 0;
        }
    }
}
