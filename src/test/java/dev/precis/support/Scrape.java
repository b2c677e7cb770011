package dev.precis.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A Prometheus text scrape of the running worker, with sums over samples that match labels. */
public record Scrape(List<String> samples) {

    public static Scrape of(URI uri) throws IOException, InterruptedException {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Scrape(Arrays.stream(body.split("\n")).filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
    }

    /** Names of all samples, such as {@code precis_documents_total} or {@code ..._bucket}. */
    public Set<String> names() {
        return samples.stream().map(Scrape::name).collect(Collectors.toSet());
    }

    /** Sum of the values of samples named {@code name} whose labels include each {@code key="value"}. */
    public double sum(String name, String... labels) {
        double total = 0;
        for (String line : samples) {
            // OpenMetrics lines may end with an exemplar: "name{labels} value # {trace} 1.0 ts".
            String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
            if (name(sample).equals(name) && Arrays.stream(labels).allMatch(sample::contains)) {
                total += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String name(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        return line.substring(0, brace >= 0 && brace < space ? brace : space);
    }
}
