<?php
/**
 * What the test site holds, decided without WordPress: authors, and for
 * post number i (0-based, in publication order) its language, author, topic,
 * title, date, length, READ / "Leggi anche" links, comments and block
 * content. Everything is a function of i, so every reset builds the same
 * site and `add-posts` continues the same sequence.
 */

/** Posts published by a reset. */
const NC_POSTS = 60;

/** Short news items: post index => target length in words (150-300). */
const NC_SHORT = [4 => 165, 11 => 270, 19 => 180, 26 => 240, 35 => 205, 44 => 255, 53 => 175, 61 => 190];

/** A small deterministic generator (an LCG), the same on every PHP build. */
final class NcRng
{
    private int $state;

    public function __construct(int $seed)
    {
        $this->state = $seed & 0x7fffffff;
    }

    /** A number in [0, n). */
    public function below(int $n): int
    {
        $this->state = ($this->state * 1103515245 + 12345) & 0x7fffffff;
        return intdiv($this->state, 65536) % $n;
    }

    /** The items in an order decided by the generator. */
    public function shuffled(array $items): array
    {
        $items = array_values($items);
        for ($k = count($items) - 1; $k > 0; $k--) {
            $j = $this->below($k + 1);
            [$items[$k], $items[$j]] = [$items[$j], $items[$k]];
        }
        return $items;
    }
}

/** The three authors: login, URL slug, display name, usual language. */
function nc_authors(): array
{
    return [
        ['login' => 'giulia.ferri', 'nicename' => 'giulia-ferri', 'first' => 'Giulia', 'last' => 'Ferri'],
        ['login' => 'marco.testa', 'nicename' => 'marco-testa', 'first' => 'Marco', 'last' => 'Testa'],
        ['login' => 'helen.park', 'nicename' => 'helen-park', 'first' => 'Helen', 'last' => 'Park'],
    ];
}

/** Local publication time (Europe/Rome) of post i: about one a day from 8 January 2024. */
function nc_post_date(int $i): string
{
    $minutes = $i * 26 * 60 + ($i * 37) % 150;
    $d = new DateTimeImmutable('2024-01-08 07:30:00', new DateTimeZone('Europe/Rome'));
    return $d->modify("+{$minutes} minutes")->format('Y-m-d H:i:s');
}

/**
 * Specs of posts 0..count-1 (titles are unique across all of them, so a
 * longer plan keeps the specs of a shorter one).
 */
function nc_plan(int $count, array $texts): array
{
    $specs = [];
    $used = [];
    for ($i = 0; $i < $count; $i++) {
        $author = $i % 3;
        $lang = ($author === 2 || ($author === 1 && intdiv($i, 3) % 4 === 3)) ? 'en' : 'it';
        $topic = ($i + intdiv($i, 3)) % 6;
        $L = $texts[$lang];
        $template = intdiv($i, 6) % 4;
        $cities = $L['slots']['city'];
        $c = ($i * 7 + $template) % count($cities);
        do {
            $city = $cities[$c];
            $title = str_replace('{city}', $city, $L['topics'][$topic]['titles'][$template]);
            $c = ($c + 1) % count($cities);
        } while (isset($used[$title]));
        $used[$title] = true;
        $words = NC_SHORT[$i] ?? 330 + ($i * 173) % 450;
        $specs[] = [
            'index' => $i,
            'lang' => $lang,
            'author' => $author,
            'topic' => $topic,
            'category' => $L['topics'][$topic]['category'],
            'tags' => array_values(array_unique([$city, $L['topics'][$topic]['category'] . ' ' . ($lang === 'it' ? 'locale' : 'local'), $lang === 'it' ? 'Italia' : 'UK'])),
            'city' => $city,
            'title' => $title,
            'date' => nc_post_date($i),
            'target_words' => $words,
            'short' => isset(NC_SHORT[$i]),
        ];
    }
    return $specs;
}

/** Older posts that post i links with READ / "Leggi anche" paragraphs. */
function nc_read_targets(array $spec): array
{
    $i = $spec['index'];
    if ($i === 0) {
        return [];
    }
    if ($spec['short']) {
        $n = $i % 2;
    } else {
        $n = $i % 5 === 2 ? 0 : 1 + ($i % 4 === 0 ? 1 : 0);
    }
    $targets = [];
    if ($n >= 1) {
        $targets[] = $i - 1 - ($i * 7) % min($i, 12);
    }
    if ($n >= 2 && $i >= 2) {
        $second = $i - 1 - ($i * 11 + 5) % min($i, 20);
        $targets[] = $second === $targets[0] ? ($second === 0 ? $i - 1 : $second - 1) : $second;
    }
    return array_values(array_unique($targets));
}

/** Fills the {slots} of one sentence. */
function nc_fill(string $sentence, array $fixed, array $L, NcRng $rng, string $lang): string
{
    $sep = $lang === 'it' ? '.' : ',';
    return preg_replace_callback('/\{(\w+)\}/', function ($m) use ($fixed, $L, $rng, $sep) {
        $slot = $m[1];
        if (isset($fixed[$slot])) {
            return $fixed[$slot];
        }
        $s = $L['slots'];
        switch ($slot) {
            case 'person2':
                $n = count($s['person']);
                $k = $rng->below($n);
                // Someone other than the story's main person.
                return $s['person'][$k] === $fixed['person'] ? $s['person'][($k + 1) % $n] : $s['person'][$k];
            case 'num': return (string) (12 + $rng->below(480));
            case 'num2': return (string) (2 + $rng->below(30));
            case 'big': return number_format((3 + $rng->below(40)) * 1000, 0, '', $sep);
            case 'pct': return (string) (3 + $rng->below(12));
            case 'pct2': return (string) (60 + $rng->below(25));
            case 'money': return (string) (20 + $rng->below(180));
            case 'small': return (string) (6 + $rng->below(9));
            case 'score': return ['2-1', '3-0', '1-0', '2-0', '3-2'][$rng->below(5)];
            case 'year': return (string) (2012 + $rng->below(10));
            default:
                return $s[$slot][$rng->below(count($s[$slot]))];
        }
    }, $sentence);
}

/** Words in a text, as a reader counts them. */
function nc_words(string $text): int
{
    return count(preg_split('/\s+/u', trim($text), -1, PREG_SPLIT_NO_EMPTY));
}

/** The sentences of post i, lead first, until the target length. */
function nc_sentences(array $spec, array $L, NcRng $rng): array
{
    $i = $spec['index'];
    $topic = $L['topics'][$spec['topic']]['sentences'];
    $persons = $L['slots']['person'];
    $fixed = [
        'city' => $spec['city'],
        'person' => $persons[($i * 3) % count($persons)],
        'district' => $L['slots']['district'][$i % count($L['slots']['district'])],
        'line' => (string) (2 + $i % 8),
    ];
    // Topic sentences come from the story's topic, then from a related one
    // (a long story touches a second subject before repeating itself).
    $pools = [array_slice($topic, 1), $L['topics'][($spec['topic'] + 3) % 6]['sentences']];
    $out = [nc_fill($topic[0], $fixed, $L, $rng, $spec['lang'])];
    $words = nc_words($out[0]);
    $t = [];
    $g = [];
    $refills = 0;
    for ($k = 1; $words < $spec['target_words']; $k++) {
        if ($k % 3 === 0) {
            $g = $g ?: $rng->shuffled($L['generic']);
            $s = array_shift($g);
        } else {
            $t = $t ?: $rng->shuffled($pools[$refills++ % 2]);
            $s = array_shift($t);
        }
        $s = nc_fill($s, $fixed, $L, $rng, $spec['lang']);
        $out[] = $s;
        $words += nc_words($s);
    }
    return $out;
}

/** Sentences grouped into paragraphs: three for a short item, 2-4 sentences each otherwise. */
function nc_paragraphs(array $spec, array $sentences, NcRng $rng): array
{
    if ($spec['short']) {
        $per = (int) ceil(count($sentences) / 3);
        return array_map(fn ($c) => implode(' ', $c), array_chunk($sentences, max(1, $per)));
    }
    $paras = [];
    while ($sentences) {
        $paras[] = implode(' ', array_splice($sentences, 0, 2 + $rng->below(3)));
    }
    return $paras;
}

/** One block of the block editor's saved markup. */
function nc_block(string $name, string $html): string
{
    return "<!-- wp:$name -->\n$html\n<!-- /wp:$name -->";
}

function nc_esc(string $s): string
{
    return htmlspecialchars($s, ENT_NOQUOTES | ENT_HTML5, 'UTF-8');
}

/**
 * Post i's content as the block editor saves it, and the text a human
 * would take from the page as its body (blocks in order, READ / "Leggi
 * anche" paragraphs left out).
 *
 * $links maps a post index to ['title' => ..., 'url' => ...].
 */
function nc_content(array $spec, array $texts, array $links): array
{
    $i = $spec['index'];
    $L = $texts[$spec['lang']];
    $rng = new NcRng($i * 7919 + 17);
    $paras = nc_paragraphs($spec, nc_sentences($spec, $L, $rng), $rng);
    $reads = nc_read_targets($spec);
    $blocks = [];
    $human = [];
    $read_links = [];
    foreach ($paras as $n => $para) {
        if (!$spec['short'] && $spec['target_words'] >= 600 && ($n === 3 || $n === 7) && $n < count($paras) - 1) {
            $h = $L['headings'][($i + $n) % count($L['headings'])];
            $blocks[] = nc_block('heading', '<h2>' . nc_esc($h) . '</h2>');
            $human[] = $h;
        }
        $blocks[] = nc_block('paragraph', '<p>' . nc_esc($para) . '</p>');
        $human[] = $para;
        // READ paragraphs sit inside the text, as "related post" plugins put them.
        $slot = $n === 1 ? 0 : ($n === 4 ? 1 : -1);
        if ($slot >= 0 && isset($reads[$slot]) && $n < count($paras) - 1) {
            $target = $links[$reads[$slot]];
            $styles = $L['read'];
            $label = $styles[($i + $slot) % count($styles)];
            $a = '<a href="' . htmlspecialchars($target['url'], ENT_QUOTES) . '"'
                . ($label === 'READ' ? ' title="' . htmlspecialchars($target['title'], ENT_QUOTES) . '"' : '')
                . '>' . nc_esc($target['title']) . '</a>';
            $sep = $label === 'READ' ? '&nbsp; ' : ' ';
            $blocks[] = nc_block('paragraph', "<p><strong>$label</strong>$sep$a</p>");
            $read_links[] = ['label' => $label, 'index' => $reads[$slot], 'url' => $target['url']];
        }
        if (!$spec['short'] && $i % 5 === 0 && $n === 2 && $n < count($paras) - 1) {
            $q = $L['quotes'][intdiv($i, 5) % count($L['quotes'])];
            $blocks[] = nc_block('quote', '<blockquote class="wp-block-quote">'
                . nc_block('paragraph', '<p>' . nc_esc($q) . '</p>') . '</blockquote>');
            $human[] = $q;
        }
        if (!$spec['short'] && $i % 6 === 1 && $n === 3 && $n < count($paras) - 1) {
            $blocks[] = nc_block('paragraph', '<p>' . nc_esc($L['list_intro']) . '</p>');
            $human[] = $L['list_intro'];
            $items = [];
            foreach ($L['list_items'] as $item) {
                $items[] = nc_block('list-item', '<li>' . nc_esc($item) . '</li>');
                $human[] = $item;
            }
            $blocks[] = nc_block('list', '<ul>' . implode('', $items) . '</ul>');
        }
    }
    return [
        'markup' => implode("\n\n", $blocks),
        'human' => $human,
        'read_links' => $read_links,
        'words' => nc_words(implode(' ', $paras)),
    ];
}

/**
 * Comments of post i: [author index or null, commenter name, text, parent
 * position or -1], in posting order. A third of the posts (of every author) have 1-4, some
 * threaded (replies give `?replytocom=` links), some replies by the post's
 * author.
 */
function nc_comments(array $spec, array $texts): array
{
    $i = $spec['index'];
    if (($i + intdiv($i, 3)) % 3 !== 1) {
        return [];
    }
    $L = $texts[$spec['lang']];
    $count = 1 + intdiv($i, 3) % 4;
    $out = [];
    for ($k = 0; $k < $count; $k++) {
        $reply = $k === 1 || ($k >= 2 && ($i + $k) % 2 === 0);
        $by_author = $reply && $k === 1;
        $out[] = [
            'user' => $by_author ? $spec['author'] : null,
            'name' => $L['commenters'][($i + $k) % count($L['commenters'])],
            'text' => $reply ? $L['replies'][($i + $k) % count($L['replies'])]
                : $L['comments'][($i * 3 + $k) % count($L['comments'])],
            'parent' => $reply ? $k - 1 : -1,
        ];
    }
    return $out;
}
