package dev.greenlight.promotion;

import dev.greenlight.registry.ModelRegistry;
import dev.greenlight.registry.ModelVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The baseline tag in the registry, ordered by generation. The tag's value is the generation
 * that made the version the baseline ({@code baseline=7}); a value that is not a number (a tag a
 * team set by hand, {@code baseline=true}) counts as generation 0. The registry's baseline is the
 * version whose tag carries the highest generation.
 *
 * <p>Why this never leaves zero tagged versions, whatever runs at once: a writer tags its own
 * version first and only then removes tags of <em>lower</em> generations, and it stops writing as
 * soon as its generation is no longer current. The tag with the highest generation is therefore
 * only ever removed by a writer of a higher one, after that writer tagged its own version. A
 * slow writer can leave a lower tag behind; the next flip or the sync check removes it.
 */
final class BaselineTags {
    private static final Logger LOG = Logger.getLogger(BaselineTags.class.getName());

    private final ModelRegistry registry;
    private final String baselineTag;
    private final String candidateTag;

    BaselineTags(ModelRegistry registry, String baselineTag, String candidateTag) {
        this.registry = registry;
        this.baselineTag = baselineTag;
        this.candidateTag = candidateTag;
    }

    String baselineTag() {
        return baselineTag;
    }

    String candidateTag() {
        return candidateTag;
    }

    /** The generation a tag value stands for (0 for a hand-set value such as {@code true}). */
    static long generationOf(String value) {
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Tags {@code version} as the baseline of {@code generation} and removes the tags of lower
     * generations, as long as {@code generation} is still the current one.
     *
     * @return what was changed, one line each
     */
    List<String> move(String model, String version, long generation, LongSupplier currentGeneration)
            throws IOException {
        List<String> changed = new ArrayList<>();
        if (currentGeneration.getAsLong() > generation) {
            return changed; // a later flip owns the tags now
        }
        String value = Long.toString(generation);
        boolean[] wrote = {false};
        registry.updateTags(model, version, tags -> {
            Map<String, String> next = new HashMap<>(tags);
            String existing = next.get(baselineTag);
            if (existing == null || generationOf(existing) < generation || next.containsKey(candidateTag)) {
                if (existing == null || generationOf(existing) < generation) {
                    next.put(baselineTag, value);
                }
                next.remove(candidateTag);
                wrote[0] = true;
            }
            return next;
        });
        if (wrote[0]) {
            changed.add(model + ":" + version + " tagged '" + baselineTag + "=" + value + "'");
        }
        for (ModelVersion other : registry.versions(model)) {
            String tag = other.tags().get(baselineTag);
            if (other.version().equals(version) || tag == null || generationOf(tag) >= generation) {
                continue;
            }
            if (currentGeneration.getAsLong() > generation) {
                break;
            }
            registry.updateTags(model, other.version(), tags -> {
                Map<String, String> next = new HashMap<>(tags);
                String still = next.get(baselineTag);
                if (still != null && generationOf(still) < generation) {
                    next.remove(baselineTag);
                }
                return next;
            });
            changed.add(model + ":" + other.version() + " lost its stale '" + baselineTag + "=" + tag + "' tag");
        }
        return changed;
    }

    /**
     * The sync check's repair: {@link #move}, then any other version still carrying the tag loses
     * it, whatever its value (the ledger is the truth, and the sync check holds its lease).
     */
    List<String> reconcile(String model, String version, long generation, LongSupplier currentGeneration)
            throws IOException {
        List<String> changed = new ArrayList<>(move(model, version, generation, currentGeneration));
        for (ModelVersion other : registry.versions(model)) {
            if (!other.version().equals(version) && other.tags().containsKey(baselineTag)
                    && currentGeneration.getAsLong() <= generation) {
                String stale = other.tags().get(baselineTag);
                registry.updateTags(model, other.version(), tags -> {
                    Map<String, String> next = new HashMap<>(tags);
                    next.remove(baselineTag);
                    return next;
                });
                changed.add(model + ":" + other.version() + " lost its stale '" + baselineTag + "=" + stale + "' tag");
            }
        }
        return changed;
    }

    /** Removes the candidate tag of a version that was judged and not promoted. */
    void untagCandidate(String model, String version) {
        try {
            registry.updateTags(model, version, tags -> {
                Map<String, String> next = new HashMap<>(tags);
                next.remove(candidateTag);
                return next;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warning("candidate tag of " + model + ":" + version + " not removed: " + e.getMessage());
        }
    }

    /** The versions carrying the baseline tag with the highest generation (more than one is a conflict). */
    static List<ModelVersion> highestTagged(List<ModelVersion> versions, String baselineTag) {
        long top = -1;
        List<ModelVersion> best = new ArrayList<>();
        for (ModelVersion v : versions) {
            String tag = v.tags().get(baselineTag);
            if (tag == null) {
                continue;
            }
            long g = generationOf(tag);
            if (g > top) {
                top = g;
                best.clear();
            }
            if (g == top) {
                best.add(v);
            }
        }
        return best;
    }
}
