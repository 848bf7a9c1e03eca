package dev.greenlight.promotion;

import dev.greenlight.errors.Conflict;
import dev.greenlight.errors.Unavailable;
import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import dev.greenlight.store.Pointer;
import dev.greenlight.store.PointerStore;
import dev.greenlight.store.Versioned;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The ledger of a model that has none stored yet: the baseline it already has is adopted, so
 * the first candidate is judged against it. The pointer wins (a data folder seeded before
 * promotion existed, or a store whose ledger was lost); else the registry's baseline tag (a team
 * that already tags its baseline, or a store that lost its data); else there is no baseline and
 * the first version that passes the floor becomes one. Two versions tagged with the same highest
 * generation are a conflict: nothing is guessed, an operator promotes one.
 */
final class FirstSight {
    private final ModelRegistry registry;
    private final PointerStore pointers;
    private final String baselineTag;
    private final Function<ModelVersion, Optional<String>> digest;
    private final Clock clock;

    FirstSight(ModelRegistry registry, PointerStore pointers, String baselineTag,
               Function<ModelVersion, Optional<String>> digest, Clock clock) {
        this.registry = registry;
        this.digest = digest;
        this.pointers = pointers;
        this.baselineTag = baselineTag;
        this.clock = clock;
    }

    /**
     * The adopted ledger (with its ADOPTED decision), or an empty one when there is nothing to adopt.
     *
     * @throws Conflict {@code baseline_conflict} when two versions claim to be the baseline
     */
    Ledger ledger(String model) {
        Optional<Versioned<Pointer>> pointer = pointers.read(model);
        if (pointer.isPresent()) {
            Pointer p = pointer.get().value();
            Optional<ModelVersion> v = registry.find(model, p.version());
            return adopt(model, p.generation(), p.version(), p.sha256(), v.map(Registrations::key).orElse(null),
                    "adopted version " + p.version() + " from the baseline pointer (generation " + p.generation() + ")");
        }
        List<ModelVersion> tagged = BaselineTags.highestTagged(registry.versions(model), baselineTag);
        if (tagged.isEmpty()) {
            return Ledger.empty(model);
        }
        if (tagged.size() > 1) {
            throw conflict(model, tagged);
        }
        ModelVersion v = tagged.get(0);
        // Azure ML may not know the digest; the probe fetches the artifact and does.
        String sha256 = v.sha256() != null ? v.sha256() : digest.apply(v).orElseThrow(() -> new Unavailable(
                "artifact_unavailable", "the artifact of " + model + ":" + v.version()
                + " (tagged as baseline) could not be fetched to adopt it"));
        long generation = Math.max(1, BaselineTags.generationOf(v.tags().get(baselineTag)));
        return adopt(model, generation, v.version(), sha256, Registrations.key(v),
                "adopted version " + v.version() + " from the registry's '" + baselineTag + "' tag");
    }

    /** What {@link #ledger} would say of a conflict, or empty when there is none (for Status). */
    Optional<String> conflict(String model) {
        try {
            ledger(model);
            return Optional.empty();
        } catch (Conflict c) {
            return Optional.of(c.detail());
        }
    }

    private Conflict conflict(String model, List<ModelVersion> tagged) {
        return new Conflict("baseline_conflict", "versions " + tagged.stream()
                .sorted(java.util.Comparator.comparing(ModelVersion::createdAt)).map(ModelVersion::version)
                .collect(Collectors.joining(", ")) + " of " + model + " all carry the '" + baselineTag
                + "' tag and Greenlight has no ledger for " + model + " yet: promote the one that is the baseline"
                + " (greenlight promote --version V --force), and the others lose the tag");
    }

    private Ledger adopt(String model, long generation, String version, String sha256, String registration,
                         String why) {
        Ledger.Baseline baseline = new Ledger.Baseline(version, sha256, clock.instant(), null);
        Decision adoption = new Decision("adopt-" + Registrations.hash(model + "/" + version + "/" + generation),
                model, version, Outcome.ADOPTED, why, List.of(), "greenlight:first-sight", null, version, generation,
                clock.instant(), List.of(), registration, null, false, null);
        return Ledger.adopted(model, generation, baseline, adoption);
    }
}
