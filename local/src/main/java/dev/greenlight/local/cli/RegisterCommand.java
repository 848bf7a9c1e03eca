package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.app.Registries;
import dev.greenlight.config.Settings;
import dev.greenlight.config.SettingsException;
import dev.greenlight.registry.LocalModelRegistry;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.arm.ArmModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code greenlight register}: registers a model file as the next version in the local registry,
 * then delivers the {@code ModelRegistered} event to the running host's Event Grid webhook, as
 * Azure ML would, and prints the decision.
 */
@Command(name = "register",
        description = "Register an ONNX file as a new version and let the gate judge it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:registered; promoted, pending or skipped", "2:bad input (nothing registered)",
                "3:registered and rejected", "4:the running Greenlight could not be reached"})
final class RegisterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Parameters(index = "0", description = "The .onnx file.")
    Path file;

    @Option(names = "--model", defaultValue = "iris-clf", converter = Names.Model.class,
            description = "Model name, one of GREENLIGHT_MODELS (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = {"-m", "--metric"}, description = "A metric, e.g. -m f1=0.97 (stored as a property).")
    Map<String, String> metrics = new LinkedHashMap<>();

    @Option(names = {"-t", "--tag"}, description = "A tag, e.g. -t owner=ml-team.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--run-id", description = "The training run that produced it.")
    String runId;

    @Option(names = "--settings", defaultValue = "local.settings.json", description = "local.settings.json (default: ${DEFAULT-VALUE}).")
    Path settingsFile;

    @Option(names = "--no-event", negatable = false, description = "Register only; do not deliver the event.")
    boolean noEvent;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings settings;
        try {
            settings = Settings.from(LocalConfig.settings(host.data, settingsFile));
        } catch (SettingsException e) {
            err.println("greenlight register: " + e.getMessage());
            return 2;
        }
        // Refuse before writing anything: a version of a model no one judges would sit in the registry for ever.
        if (!settings.models().contains(model)) {
            err.println("greenlight register: model '" + model + "' is not managed here; GREENLIGHT_MODELS lists: "
                    + String.join(", ", settings.models()));
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("greenlight register: no such file: " + file);
            return 2;
        }
        Map<String, String> allTags = new LinkedHashMap<>(tags);
        allTags.putIfAbsent(settings.candidateTag(), "true");
        long size = Files.size(file);
        err.printf("registering %s (%,d bytes) as a new version of %s...%n", file, size, model);
        ModelRegistry registry = Registries.from(settings);
        if (registry instanceof ArmModelRegistry azureMl) {
            // Azure ML sends the ModelRegistered event itself once the version exists.
            Progress progress = new Progress(err, size);
            ModelVersion version = azureMl.register(model, file, metrics, allTags, runId, progress);
            progress.done();
            out.printf("registered %s:%s in Azure ML (sha256 %s); Azure ML announces it through Event Grid%n",
                    version.model(), version.version(), version.sha256());
            return 0;
        }
        ModelVersion version = ((LocalModelRegistry) registry).register(model, file, metrics, allTags, runId);
        out.printf("registered %s:%s (sha256 %s)%n", version.model(), version.version(), version.sha256());
        if (noEvent) {
            return 0;
        }
        try {
            HostClient client = host.client(err);
            String eventId = UUID.randomUUID().toString();
            HttpResponse<String> delivered = client.deliverEvent("OnModelRegistered", event(eventId, version));
            if (delivered.statusCode() / 100 != 2) {
                err.println("greenlight: the event was not accepted (HTTP " + delivered.statusCode() + "): "
                        + delivered.body());
                return 4;
            }
            JsonNode decisions = client.json(client.get("/api/decisions?model=" + model + "&limit=20", "function.key"));
            for (JsonNode d : decisions.path("decisions")) {
                if (d.path("actor").asText().equals("event:" + eventId)) {
                    Printer.decision(out, d);
                    if ("PENDING".equals(d.path("outcome").asText())) {
                        out.printf("    approve with: greenlight promote --model %s --version %s%n", model,
                                version.version());
                    }
                    return Printer.exitCode(d);
                }
            }
            err.println("greenlight: the event was accepted but no decision was found for it");
            return 4;
        } catch (HostClient.Failure f) {
            err.println("greenlight: " + f.getMessage());
            return f.exitCode;
        }
    }

    /** Upload progress on the error stream, about every 5 %, so scripts can still parse standard output. */
    private static final class Progress implements java.util.function.LongConsumer {
        private final PrintWriter err;
        private final long total;
        private long shown = -1;

        Progress(PrintWriter err, long total) {
            this.err = err;
            this.total = Math.max(1, total);
        }

        @Override
        public synchronized void accept(long bytes) {
            long percent = bytes * 100 / total;
            if (percent / 5 != shown / 5) {
                shown = percent;
                err.printf("  uploaded %,d of %,d bytes (%d %%)%n", bytes, total, percent);
            }
        }

        void done() {
            err.flush();
        }
    }

    private static String event(String id, ModelVersion version) {
        ObjectNode event = HostClient.JSON.createObjectNode();
        event.put("id", id);
        event.put("topic", "/subscriptions/local/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local");
        event.put("subject", "models/" + version.model() + ":" + version.version());
        event.put("eventType", "Microsoft.MachineLearningServices.ModelRegistered");
        event.put("eventTime", Instant.now().toString());
        ObjectNode data = event.putObject("data");
        data.put("modelName", version.model());
        data.put("modelVersion", version.version());
        data.set("modelTags", HostClient.JSON.valueToTree(version.tags()));
        data.set("modelProperties", HostClient.JSON.valueToTree(version.properties()));
        event.put("dataVersion", "2");
        event.put("metadataVersion", "1");
        ArrayNode delivery = HostClient.JSON.createArrayNode();
        delivery.add(event);
        return delivery.toString();
    }
}
