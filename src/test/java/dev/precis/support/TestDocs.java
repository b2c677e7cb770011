package dev.precis.support;

import java.util.List;
import java.util.Random;

/** Deterministic synthetic documents in several languages, sized in sentences. */
public final class TestDocs {

    private static final List<String> SUBJECTS = List.of("The committee", "A small team", "The city council",
            "Our researchers", "The new system", "Each regional office", "The supplier", "The survey");
    private static final List<String> VERBS = List.of("reviewed", "approved", "measured", "rejected",
            "documented", "expanded", "reduced", "replaced");
    private static final List<String> OBJECTS = List.of("the annual budget", "the water supply plan",
            "forty-two safety incidents", "the bridge inspection results", "the harbour expansion",
            "energy use in schools", "the migration of the payment service", "customer complaints in March");
    private static final List<String> KOREAN = List.of("위원회는 올해 예산을 검토했습니다.",
            "연구팀은 새로운 측정 방법을 제안했습니다.", "시의회는 항만 확장 계획을 승인했습니다.",
            "학교의 에너지 사용량이 크게 줄었습니다.", "공급업체는 다음 달까지 부품을 교체할 예정입니다.",
            "설문 조사 결과 고객 불만이 감소했습니다.");
    private static final List<String> JAPANESE = List.of("委員会は今年の予算を見直しました。",
            "研究チームは新しい測定方法を提案しました。", "市議会は港の拡張計画を承認しました。",
            "学校のエネルギー使用量は大きく減りました。", "調査の結果、顧客の苦情が減少しました。");

    private TestDocs() {
    }

    /** English prose of {@code sentences} sentences in paragraphs of five. */
    public static String english(int sentences, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(pick(SUBJECTS, r)).append(' ').append(pick(VERBS, r)).append(' ')
                    .append(pick(OBJECTS, r)).append(" in ").append(1990 + r.nextInt(35)).append('.');
            sb.append(i % 5 == 4 ? "\n\n" : " ");
        }
        return sb.toString().strip();
    }

    public static String korean(int sentences, long seed) {
        return join(KOREAN, sentences, seed, " ");
    }

    public static String japanese(int sentences, long seed) {
        return join(JAPANESE, sentences, seed, "");
    }

    private static String join(List<String> pool, int sentences, long seed, String sep) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(pick(pool, r)).append(i % 6 == 5 ? "\n\n" : sep);
        }
        return sb.toString().strip();
    }

    private static String pick(List<String> pool, Random r) {
        return pool.get(r.nextInt(pool.size()));
    }
}
