package dev.precis.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every key of the configuration mapping, with its default, and no other. */
class ConfigurationDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(precis\\.[^`]+)` \\| *([^|]*?) *\\|", Pattern.MULTILINE);

    @Test
    void theReferenceListsEveryKeyWithItsDefaultAndNoOther() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        walk(PrecisConfig.class, "precis", keys);
        String doc = Files.readString(Path.of("docs/configuration.md"), StandardCharsets.UTF_8);
        String reference = doc.substring(0, doc.indexOf("## Moved keys"));
        Map<String, String> documented = new TreeMap<>();
        Matcher m = ROW.matcher(reference);
        while (m.find()) {
            documented.put(m.group(1), m.group(2).strip());
        }
        assertEquals(new TreeSet<>(keys.keySet()), new TreeSet<>(documented.keySet()),
                "keys of PrecisConfig against the rows of docs/configuration.md");
        keys.forEach((key, def) -> {
            if (def != null) {
                // An expression default (${other.key:value}) may be documented by its value.
                String value = def.startsWith("${") ? def.substring(def.lastIndexOf(':') + 1, def.length() - 1) : def;
                String cell = documented.get(key);
                assertTrue(cell.contains("`" + def + "`") || cell.contains("`" + value + "`"),
                        key + " defaults to " + def + "; the reference says " + documented.get(key));
            }
        });
    }

    /** Collects key → default (null when none) of a mapping interface, through groups and maps. */
    private static void walk(Class<?> group, String prefix, Map<String, String> out) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[1];
                walk(value, key + ".<name>", out);
            } else if (type.isInterface() && type.getPackage() == PrecisConfig.class.getPackage()) {
                walk(type, key, out);
            } else {
                WithDefault def = method.getAnnotation(WithDefault.class);
                out.put(key, def == null ? null : def.value());
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
