package dev.omnirag.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CjkBigramsTest {

    @Test
    void cjkRunsBecomeTheirPairsBetweenSpacesAndOtherTextStaysAsItIs() {
        assertThat(CjkBigrams.spaced("用数据库")).isEqualTo(" 用数  数据  据库 ");
        assertThat(CjkBigrams.spaced("The café, naïve")).isSameAs(CjkBigrams.spaced("The café, naïve"));
        assertThat(CjkBigrams.spaced("The café")).isEqualTo("The café");
        assertThat(CjkBigrams.spaced("SQL数据库。Done 東京")).isEqualTo("SQL 数据  据库 。Done  東京 ");
        assertThat(CjkBigrams.spaced("一")).isEqualTo(" 一 ");
        assertThat(CjkBigrams.spaced(null)).isNull();
    }
}
