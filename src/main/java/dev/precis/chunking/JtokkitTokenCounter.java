package dev.precis.chunking;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Token counter backed by a jtokkit BPE encoding such as {@code o200k_base}. */
public final class JtokkitTokenCounter implements TokenCounter {

    // The lazy registry loads only the encodings actually used (the eager one costs ~64 MB).
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final Encoding encoding;

    private JtokkitTokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Counter for an encoding name, for example {@code cl100k_base} or {@code o200k_base}. */
    public static JtokkitTokenCounter forEncoding(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (EncodingType type : EncodingType.values()) {
            if (type.getName().equals(wanted)) {
                return new JtokkitTokenCounter(REGISTRY.getEncoding(type));
            }
        }
        throw new IllegalArgumentException("Unknown tokenizer encoding '" + name + "'; known: "
                + List.of(EncodingType.values()).stream().map(EncodingType::getName).toList());
    }

    @Override
    public int count(String text) {
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    @Override
    public List<Integer> encode(String text) {
        IntArrayList ids = encoding.encodeOrdinary(text);
        List<Integer> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            out.add(ids.get(i));
        }
        return out;
    }

    @Override
    public String decode(List<Integer> tokens) {
        IntArrayList ids = new IntArrayList(tokens.size());
        tokens.forEach(ids::add);
        return encoding.decode(ids);
    }
}
