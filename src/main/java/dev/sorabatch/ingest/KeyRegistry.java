package dev.sorabatch.ingest;

import java.util.HashMap;
import java.util.Map;
import dev.sorabatch.store.NewItem;
import dev.sorabatch.store.KeyOwner;

/**
 * Item keys and ids claimed in one batch, ignoring case, as {@link RequestValidator} hands them out. It holds only
 * the claims made since the last {@link #clear()}; for earlier ones it asks an {@link Earlier} lookup (the store,
 * whose unique indexes hold them), when one is set. So a batch of any size costs memory only for its latest rows.
 */
public final class KeyRegistry {

    /** Claims made before the last {@link #clear()}; lookups take and return folded keys. */
    public interface Earlier {
        Earlier NONE = new Earlier() {
            @Override
            public KeyOwner keyOwner(String foldedKey) {
                return null;
            }

            @Override
            public KeyOwner idOwner(String foldedId) {
                return null;
            }
        };

        KeyOwner keyOwner(String foldedKey);

        KeyOwner idOwner(String foldedId);
    }

    private final Map<String, KeyOwner> keys = new HashMap<>();
    private final Map<String, KeyOwner> ids = new HashMap<>();
    private Earlier earlier = Earlier.NONE;

    /** Who holds this item key (a file name), or null. */
    KeyOwner keyOwner(String key) {
        String folded = NewItem.fold(key);
        KeyOwner owner = keys.get(folded);
        return owner != null ? owner : earlier.keyOwner(folded);
    }

    /** Who holds this sanitised id, or null. */
    KeyOwner idOwner(String id) {
        String folded = NewItem.fold(id);
        KeyOwner owner = ids.get(folded);
        return owner != null ? owner : earlier.idOwner(folded);
    }

    void claimKey(String key, int row, String requestId) {
        keys.put(NewItem.fold(key), new KeyOwner(row, requestId, key));
    }

    void claimId(String id, int row, String requestId) {
        ids.put(NewItem.fold(id), new KeyOwner(row, requestId, id));
    }

    /** Forgets the claims held here: they are in the store now. */
    void clear() {
        keys.clear();
        ids.clear();
    }

    /** Where claims made before the last {@link #clear()} are looked up. */
    void lookIn(Earlier earlier) {
        this.earlier = earlier;
    }
}
