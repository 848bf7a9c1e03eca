package dev.greenlight.promotion;

import dev.greenlight.errors.Unavailable;
import dev.greenlight.json.Json;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Ledgers as JSON documents ({@code ledgers/{model}.json}) in a {@link DocumentStore}, and the
 * one path that changes them: {@link #update}. The most recent decisions stay in the ledger;
 * older ones are first archived, each to its own create-only document
 * ({@code decisions/{model}/{id}.json}), with a marker per judged registration
 * ({@code judged/{model}/{hash}.json}), so no decision and no judgement is ever lost.
 */
public final class LedgerStore {
    private static final Logger LOG = Logger.getLogger(LedgerStore.class.getName());
    static final int DECISIONS_KEPT = 500;
    static final int MAX_ATTEMPTS = 20;

    private final DocumentStore documents;
    private final java.util.Map<String, Versioned<Ledger>> lastParsed = new java.util.concurrent.ConcurrentHashMap<>();

    public LedgerStore(DocumentStore documents) {
        this.documents = documents;
    }

    /** What an update decided: the ledger to write (empty: write nothing) and what to return. */
    public record Change<T>(Optional<Ledger> next, T result) {
        public static <T> Change<T> write(Ledger next, T result) {
            return new Change<>(Optional.of(next), result);
        }

        public static <T> Change<T> none(T result) {
            return new Change<>(Optional.empty(), result);
        }
    }

    /**
     * Reads the ledger, lets {@code decide} look at it and say what to write, and writes it only
     * if nobody wrote meanwhile. A lost race waits a short random time (so many writers do not
     * collide in lockstep), re-reads and decides again; it never overwrites. {@code decide} may
     * run several times and must have no effects of its own.
     *
     * @param absent the ledger of a model that has none stored yet
     * @throws Unavailable when the ledger kept changing for {@value #MAX_ATTEMPTS} attempts
     */
    public <T> T update(String model, Function<String, Ledger> absent, Function<Ledger, Change<T>> decide) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<Ledger>> read = read(model);
            Ledger current = read.map(Versioned::value).orElseGet(() -> absent.apply(model));
            Change<T> change = decide.apply(current);
            if (change.next().isEmpty()) {
                return change.result();
            }
            try {
                write(change.next().get(), read.map(Versioned::etag).orElse(null));
                return change.result();
            } catch (StoreConflict lost) {
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 5_000_000L * Math.min(attempt, 4)));
            }
        }
        LOG.warning("the ledger of " + model + " kept changing for " + MAX_ATTEMPTS + " attempts; gave up");
        throw new Unavailable("ledger_contended", "the ledger of " + model + " kept changing for " + MAX_ATTEMPTS
                + " attempts; try again");
    }

    public Optional<Versioned<Ledger>> read(String model) {
        return documents.read(name(model)).map(v -> new Versioned<>(parsed(model, v), v.etag()));
    }

    /**
     * Ledgers are immutable and named by their ETag, so the last one parsed per model is kept:
     * every event reads the ledger, and most find it unchanged.
     */
    private Ledger parsed(String model, Versioned<byte[]> read) {
        Versioned<Ledger> last = lastParsed.get(model);
        if (last != null && last.etag().equals(read.etag())) {
            return last.value();
        }
        Ledger ledger = parse(read.value());
        lastParsed.put(model, new Versioned<>(ledger, read.etag()));
        return ledger;
    }

    /** Writes if the stored ledger still has {@code expectedEtag}; throws {@link StoreConflict} otherwise. */
    String write(Ledger ledger, String expectedEtag) {
        Ledger trimmed = ledger;
        List<Decision> decisions = ledger.decisions();
        if (decisions.size() > DECISIONS_KEPT) {
            List<Decision> old = decisions.subList(0, decisions.size() - DECISIONS_KEPT);
            for (Decision d : old) {
                archive(d);
            }
            trimmed = ledger.keepingDecisions(decisions.subList(decisions.size() - DECISIONS_KEPT, decisions.size()));
        }
        return documents.write(name(ledger.model()), render(trimmed), expectedEtag);
    }

    /** Whether a decision was archived: decisions leave the ledger only after this is true. */
    public boolean archived(String model, String decisionId) {
        return documents.read(archiveName(model, decisionId)).isPresent();
    }

    /** An archived decision, if there is one with this id. */
    Optional<Decision> archivedDecision(String model, String decisionId) {
        return documents.read(archiveName(model, decisionId)).map(v -> parse(v.value(), Decision.class));
    }

    /** Whether a registration was judged by a decision that has left the ledger for the archive. */
    boolean judgedInArchive(String model, String registrationKey) {
        return documents.read(judgedName(model, registrationKey)).isPresent();
    }

    /** The archived decision that judged a registration, if it has left the ledger. */
    Optional<Decision> archivedJudgement(String model, String registrationKey) {
        return documents.read(judgedName(model, registrationKey)).map(v -> parse(v.value(), Decision.class));
    }

    private void archive(Decision decision) {
        createOnce(archiveName(decision.model(), decision.id()), render(decision));
        if (decision.registration() != null && Ledger.judges(decision)) {
            createOnce(judgedName(decision.model(), decision.registration()), render(decision));
        }
    }

    private void createOnce(String name, byte[] content) {
        try {
            documents.write(name, content, null);
        } catch (StoreConflict alreadyThere) {
            // Written by an earlier write that then lost its race: the same decision, already safe.
        }
    }

    private static String archiveName(String model, String decisionId) {
        return "decisions/" + model + "/" + decisionId + ".json";
    }

    private static String judgedName(String model, String registrationKey) {
        return "judged/" + model + "/" + Registrations.hash(registrationKey) + ".json";
    }

    private static String name(String model) {
        return "ledgers/" + model + ".json";
    }

    private static byte[] render(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ledger parse(byte[] bytes) {
        return parse(bytes, Ledger.class);
    }

    private static <T> T parse(byte[] bytes, Class<T> type) {
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new dev.greenlight.store.UnreadableDocument("unreadable " + type.getSimpleName().toLowerCase() + ": "
                    + e.getMessage(), e);
        }
    }
}
