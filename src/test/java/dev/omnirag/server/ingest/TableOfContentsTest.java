package dev.omnirag.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableOfContentsTest {

    private static List<String> found(String text) {
        return TableOfContents.find(text).stream()
                .map(r -> text.substring(r.charStart(), r.charEnd()))
                .toList();
    }

    @Test
    void entriesOverDotLeadersAndTheirHeadingAreOneBlockAndTheTextAroundItIsNot() {
        String text = "Model AX3000 user manual\n\nContents\n\n"
                + "1 Safety instructions ............................ 3\n"
                + "2 Installing the router . . . . . . . . . . . . . . 4\n"
                + "3 Connecting to the internet of things and other\n"
                + "networks ........................................ 5\n"
                + "4 Resetting the router ........................... 7\n\n"
                + "Read the safety instructions before you start.";

        assertThat(found(text)).containsExactly(text.substring(text.indexOf("Contents"), text.indexOf("7\n") + 1));
    }

    @Test
    void aWordTableOfContentsIsFoundByItsTabsAndPlainEntriesOnlyUnderAContentsHeading() {
        String word = "Introduction\t1\nInstalling the router\t3\nResetting the router\t7\n";
        assertThat(found(word)).containsExactly(word.strip());

        String plain = "Table of Contents\nIntroduction 1\nInstalling the router 3\nResetting the router 7\nBody.";
        assertThat(found(plain)).containsExactly(plain.substring(0, plain.indexOf("\nBody")));

        String noHeading = "Valves checked on floor 1\nPumps checked on floor 3\nFans checked on floor 7\n";
        assertThat(found(noHeading)).isEmpty();
    }

    @Test
    void aPriceListWithLeadersIsNoTableOfContentsBecauseItsNumbersDoNotRise() {
        String menu = "Espresso .......... 3\nCappuccino ........ 4\nTea ............... 2\nCake .............. 5\n";

        assertThat(found(menu)).isEmpty();
    }

    @Test
    void aBooksIndexIsFoundUnderItsHeadingAndTermsWithCommasInProseAreNot() {
        String index = "Index\n\nadapter, 3\nfirmware, 8, 12-14\nrouter\n  resetting, 7\n  placing, 4\n"
                + "status light, 4, 9\nwarranty, 10";
        assertThat(found("The last page.\n" + index)).containsExactly(index);

        String prose = "Index\nThe index rose in March, 3\nand fell in May, 4\nbefore the summer.";
        assertThat(found(prose)).isEmpty();
    }

    @Test
    void twoEntriesAreNotABlockAndAListOfFiguresAfterTheContentsStartsItsNumbersAgain() {
        assertThat(found("Summary ........ 1\nResults ........ 4\n")).isEmpty();

        String text = "Contents\nPreface ........ ix\nIntroduction ........ 1\nMethods ........ 12\n\n"
                + "List of Figures\nFigure 1 The setup ........ 3\nFigure 2 The results ........ 14\n";
        assertThat(found(text)).containsExactly(text.strip());
    }
}
