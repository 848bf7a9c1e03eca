package dev.greenlight.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.greenlight.json.Json;
import java.lang.management.ManagementFactory;
import java.time.Instant;

/** What this instance serves, for the {@code Status} and {@code Health} routes. */
public final class StatusReport {
    private final ModelCache cache;
    private final Instant startedAt;

    public StatusReport(ModelCache cache, Instant startedAt) {
        this.cache = cache;
        this.startedAt = startedAt;
    }

    public ObjectNode status() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("instance", ManagementFactory.getRuntimeMXBean().getName());
        body.put("startedAt", startedAt.toString());
        var models = body.putArray("models");
        // Each ModelStatus is one snapshot of its model: version, digest, generation, load count,
        // loading version and last load error below always belong together.
        for (ModelCache.ModelStatus s : cache.status()) {
            ObjectNode m = models.addObject();
            m.put("model", s.model());
            m.put("state", s.serving().isPresent() ? "serving" : "not_loaded");
            s.serving().ifPresent(loaded -> {
                m.put("version", loaded.version());
                m.put("sha256", loaded.sha256());
                m.put("generation", loaded.generation());
                m.put("loadedSince", loaded.loadedAt().toString());
                m.put("requests", loaded.requests());
                m.put("errors", loaded.errors());
            });
            s.loading().ifPresent(version -> m.put("loading", version));
            m.put("loads", s.loads());
            s.lastCheck().ifPresent(at -> m.put("pointerCheckedAt", at.toString()));
            s.lastFailure().ifPresent(f -> {
                ObjectNode failure = m.putObject("lastLoadError");
                failure.put("version", f.version());
                failure.put("reason", f.reason());
                failure.put("at", f.at().toString());
            });
        }
        return body;
    }

    /** Ready when every configured model has a baseline loaded. */
    public boolean ready() {
        return cache.ready();
    }

    public ObjectNode health() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", ready() ? "ready" : "not_ready");
        ObjectNode models = body.putObject("models");
        for (ModelCache.ModelStatus s : cache.status()) {
            models.put(s.model(), s.serving().map(LoadedModel::version).orElse(null));
        }
        return body;
    }
}
