package dev.greenlight.promotion;

import dev.greenlight.json.Json;
import dev.greenlight.store.DocumentStore;
import dev.greenlight.store.StoreConflict;
import dev.greenlight.store.Versioned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Ledgers as JSON documents ({@code ledgers/{model}.json}) in a {@link DocumentStore}. The most
 * recent decisions stay in the ledger; older ones are first archived, each to its own
 * create-only document ({@code decisions/{model}/{id}.json}), so no decision is ever lost.
 */
public final class LedgerStore {
    static final int DECISIONS_KEPT = 500;

    private final DocumentStore documents;

    public LedgerStore(DocumentStore documents) {
        this.documents = documents;
    }

    public Optional<Versioned<Ledger>> read(String model) {
        return documents.read(name(model)).map(v -> new Versioned<>(parse(v.value()), v.etag()));
    }

    /** Writes if the stored ledger still has {@code expectedEtag}; throws {@link StoreConflict} otherwise. */
    public String write(Ledger ledger, String expectedEtag) {
        Ledger trimmed = ledger;
        List<Decision> decisions = ledger.decisions();
        if (decisions.size() > DECISIONS_KEPT) {
            List<Decision> old = decisions.subList(0, decisions.size() - DECISIONS_KEPT);
            for (Decision d : old) {
                archive(d);
            }
            trimmed = new Ledger(ledger.model(), ledger.generation(), ledger.baseline(), ledger.history(),
                    ledger.pending(), decisions.subList(decisions.size() - DECISIONS_KEPT, decisions.size()));
        }
        return documents.write(name(ledger.model()), render(trimmed), expectedEtag);
    }

    /** Whether a decision was archived: decisions leave the ledger only after this is true. */
    public boolean archived(String model, String decisionId) {
        return documents.read(archiveName(model, decisionId)).isPresent();
    }

    private static String archiveName(String model, String decisionId) {
        return "decisions/" + model + "/" + decisionId + ".json";
    }

    private void archive(Decision decision) {
        try {
            documents.write(archiveName(decision.model(), decision.id()), render(decision), null);
        } catch (StoreConflict alreadyArchived) {
            // Archived by an earlier write that then lost its race: the same decision, already safe.
        }
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
        try {
            return Json.MAPPER.readValue(bytes, Ledger.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable ledger: " + e.getMessage(), e);
        }
    }
}
