package dev.greenlight.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.Unauthorized;
import dev.greenlight.json.Json;
import dev.greenlight.serving.LoadedModel;
import dev.greenlight.serving.ModelCache;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This instance's side of the refresh contract: verify the signature, then check the pointer
 * now. Answers whether it serves the named version (200), is loading it (202), or was sent an
 * older generation than the pointer's (409). Checks are coalesced by the cache, so a storm of
 * refreshes loads each version once.
 */
public final class RefreshReceiver {
    /** How long a refresh waits for the check before answering 202. */
    private static final Duration QUICK = Duration.ofMillis(200);

    private final Optional<RefreshSignature> signature;
    private final ModelCache cache;
    private final PointerStore pointers;
    private final Clock clock;

    public RefreshReceiver(String key, ModelCache cache, PointerStore pointers, Clock clock) {
        this.signature = Optional.ofNullable(key).map(RefreshSignature::new);
        this.cache = cache;
        this.pointers = pointers;
        this.clock = clock;
    }

    /** The answer: HTTP status and the model and version this instance serves. */
    public record Answer(int status, String model, String version) {
    }

    public Answer refresh(String signatureHeader, String body) {
        RefreshSignature verifier = signature.orElseThrow(() -> new Unauthorized("refresh_not_configured",
                "GREENLIGHT_REFRESH_KEY is not set on this instance"));
        verifier.problem(signatureHeader, body, clock.instant()).ifPresent(problem -> {
            throw new Unauthorized("bad_signature", problem);
        });
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new BadRequest("malformed_json", "the refresh body is not valid JSON");
        }
        String model = request.path("model").asText(null);
        String version = request.path("version").asText(null);
        long generation = request.path("generation").asLong(-1);
        if (model == null || version == null || generation < 1) {
            throw new BadRequest("invalid_request", "the refresh body needs model, version and generation (>= 1)");
        }
        if (!cache.models().contains(model)) {
            throw new dev.greenlight.errors.NotFound("unknown_model", "model '" + model + "' is not served here");
        }
        Optional<Pointer> pointer = pointers.read(model).map(Versioned::value);
        if (pointer.isPresent() && pointer.get().generation() > generation) {
            throw new Conflict("stale_generation", "generation " + generation + " is older than the pointer's "
                    + pointer.get().generation() + " (" + model + ":" + pointer.get().version() + ")");
        }
        try {
            cache.refresh(model).get(QUICK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillLoading) {
            // answered below from what serves now
        }
        String serving = cache.status().stream().filter(s -> s.model().equals(model)).findFirst()
                .flatMap(ModelCache.ModelStatus::serving).map(LoadedModel::version).orElse(null);
        return new Answer(version.equals(serving) ? 200 : 202, model, serving == null ? version : serving);
    }
}
