package dev.osmosis.engine.sched;

import java.util.Arrays;
import java.util.List;

/** An enum constant spelled as in diffusers' scheduler_config.json ("v_prediction", "scaled_linear", ...). */
interface ConfigName {
    String configName();

    /** The constant of {@code type} spelled {@code value}; the error names the config {@code key} and the choices. */
    static <E extends Enum<E> & ConfigName> E parse(Class<E> type, String value, String key) {
        for (E constant : type.getEnumConstants()) {
            if (constant.configName().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(
                key + " must be one of " + names(type) + ", got '" + value + "'");
    }

    static <E extends Enum<E> & ConfigName> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).toList();
    }
}
