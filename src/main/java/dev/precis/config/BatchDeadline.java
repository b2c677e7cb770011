package dev.precis.config;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** Reads precis.batch-api.deadline: a time of day (its next occurrence), a local date-time, or an instant. */
public final class BatchDeadline {

    private BatchDeadline() {
    }

    public static Instant parse(String value, ZoneId zone, Instant now) {
        String v = value.strip();
        try {
            if (v.length() <= 8 && v.contains(":")) {
                ZonedDateTime at = ZonedDateTime.of(now.atZone(zone).toLocalDate(), LocalTime.parse(v), zone);
                return at.toInstant().isAfter(now) ? at.toInstant() : at.plusDays(1).toInstant();
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(v).toInstant();
            }
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("precis.batch-api.deadline '" + value + "' is neither a time of day "
                    + "(06:00), a date-time (2026-12-03T06:00) nor an instant (2026-12-03T05:00:00Z)", e);
        }
    }
}
