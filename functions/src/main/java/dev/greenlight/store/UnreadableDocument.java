package dev.greenlight.store;

/**
 * The store answered, but a document in it cannot be read (not JSON, or a value its type refuses):
 * 503 {@code store_document_unreadable}, naming the document and why. Nothing serves from it until
 * a writer replaces it (the next flip, or an operator).
 */
public class UnreadableDocument extends StoreUnavailable {
    public static final String CODE = "store_document_unreadable";

    public UnreadableDocument(String detail, Throwable cause) {
        super(CODE, detail, cause);
    }
}
