<?php
/**
 * Fills the loopback WordPress through its own PHP API (wp_install,
 * wp_insert_user, wp_insert_post, wp_insert_comment) and prints the site's
 * manifest (every post's URL, title, author, date, language, the body a
 * human would extract, its comments; the site's feeds and author pages) as
 * JSON on stdout. Run by wp-site, as the web server's user:
 *
 *   php fill.php reset     install WordPress in the empty database and fill it
 *   php fill.php add N     publish the next N posts of the plan
 *   php fill.php manifest  print the manifest only
 *
 * WP_HOSTPORT (e.g. 127.0.0.2:8080) selects Debian's config-<host>.php.
 */

$mode = $argv[1] ?? '';
if (!in_array($mode, ['reset', 'add', 'manifest'], true)) {
    fwrite(STDERR, "usage: fill.php reset | add N | manifest\n");
    exit(2);
}
$hostport = getenv('WP_HOSTPORT') ?: '127.0.0.2:8080';
$_SERVER['HTTP_HOST'] = $hostport;
$_SERVER['SERVER_NAME'] = explode(':', $hostport)[0];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
if ($mode === 'reset') {
    define('WP_INSTALLING', true);
}

/** wp_install() would mail the new site's admin: not from a test site. */
function wp_new_blog_notification()
{
}

require '/usr/share/wordpress/wp-load.php';
// Not one HTTP request from here (wp_install probes its own permalinks).
add_filter('pre_http_request', fn () => new WP_Error('newscrawl_offline', 'the test site makes no HTTP requests'));
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once __DIR__ . '/plan.php';
$texts = require __DIR__ . '/texts.php';

/** Fails the whole run with a message naming what failed. */
function nc_fail(string $what, $error): void
{
    $msg = is_wp_error($error) ? $error->get_error_message() : (string) $error;
    fwrite(STDERR, "fill.php: $what: $msg\n");
    exit(1);
}

/** Installs WordPress and sets the site up like a small news site. */
function nc_install(): void
{
    $r = wp_install('Il Cronista', 'admin', 'admin@example.invalid', true, '', 'admin-loopback-only', 'en_US');
    if (is_wp_error($r) || empty($r['user_id'])) {
        nc_fail('wp_install', $r['password_message'] ?? 'failed');
    }
    wp_set_current_user($r['user_id']);
    update_option('blogdescription', 'Notizie locali / local news');
    update_option('timezone_string', 'Europe/Rome');
    update_option('gmt_offset', '');
    update_option('default_pingback_flag', 0);
    update_option('default_ping_status', 'closed');
    update_option('comments_notify', 0);
    update_option('moderation_notify', 0);
    update_option('thread_comments', 1);
    switch_theme('twentytwentythree');
    if (wp_get_theme()->get_stylesheet() !== 'twentytwentythree' || !wp_is_block_theme()) {
        nc_fail('theme', 'twentytwentythree (the block theme) is not active');
    }
    global $wp_rewrite;
    $wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
    // The sample post, its comment, the sample page and the privacy draft.
    foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $p) {
        wp_delete_post($p->ID, true);
    }
    foreach (nc_authors() as $a) {
        $id = wp_insert_user(wp_slash([
            'user_login' => $a['login'],
            'user_pass' => 'loopback-' . $a['login'],
            'user_email' => $a['nicename'] . '@example.invalid',
            'user_nicename' => $a['nicename'],
            'first_name' => $a['first'],
            'last_name' => $a['last'],
            'display_name' => $a['first'] . ' ' . $a['last'],
            'role' => 'author',
        ]));
        if (is_wp_error($id)) {
            nc_fail("user {$a['login']}", $id);
        }
    }
}

/** The About page every page's navigation links to. */
function nc_about_page(array $texts): void
{
    $about = $texts['it']['about'];
    $id = wp_insert_post(wp_slash([
        'post_type' => 'page',
        'post_title' => $about['title'],
        'post_name' => sanitize_title($about['title']),
        'post_content' => nc_block('paragraph', '<p>' . nc_esc($about['text']) . '</p>'),
        'post_status' => 'publish',
        'post_date' => '2024-01-05 10:00:00',
        'post_date_gmt' => get_gmt_from_date('2024-01-05 10:00:00'),
        'comment_status' => 'closed',
        'ping_status' => 'closed',
    ]), true);
    if (is_wp_error($id)) {
        nc_fail('about page', $id);
    }
}

/** Title and permalink of every planned post, known before they exist. */
function nc_links(array $specs): array
{
    $links = [];
    foreach ($specs as $s) {
        $day = substr($s['date'], 0, 10);
        $links[$s['index']] = [
            'title' => $s['title'],
            'url' => home_url(str_replace('-', '/', $day) . '/' . sanitize_title($s['title']) . '/'),
        ];
    }
    return $links;
}

/** A visible text as WordPress prints it (curly quotes, dashes), entities decoded. */
function nc_rendered(string $text): string
{
    return html_entity_decode(wptexturize(nc_esc($text)), ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

/** Publishes one planned post with its comments. */
function nc_insert_post(array $spec, array $texts, array $links): void
{
    $authors = nc_authors();
    $user = get_user_by('login', $authors[$spec['author']]['login']);
    $cat = get_cat_ID($spec['category']) ?: wp_create_category($spec['category']);
    $content = nc_content($spec, $texts, $links);
    $what = "post {$spec['index']} ({$spec['title']})";
    $id = wp_insert_post(wp_slash([
        'post_title' => $spec['title'],
        'post_name' => sanitize_title($spec['title']),
        'post_content' => $content['markup'],
        'post_status' => 'publish',
        'post_author' => $user->ID,
        'post_date' => $spec['date'],
        'post_date_gmt' => get_gmt_from_date($spec['date']),
        'post_category' => [$cat],
        'tags_input' => $spec['tags'],
        'comment_status' => 'open',
        'ping_status' => 'closed',
        'meta_input' => [
            '_newscrawl_index' => $spec['index'],
            '_newscrawl_lang' => $spec['lang'],
            '_newscrawl_short' => $spec['short'] ? 1 : 0,
            '_newscrawl_words' => $content['words'],
            '_newscrawl_body' => wp_json_encode(array_map('nc_rendered', $content['human']), JSON_UNESCAPED_UNICODE),
            '_newscrawl_read_links' => wp_json_encode($content['read_links'], JSON_UNESCAPED_UNICODE),
        ],
    ]), true);
    if (is_wp_error($id)) {
        nc_fail($what, $id);
    }
    if (get_permalink($id) !== $links[$spec['index']]['url']) {
        nc_fail($what, 'permalink ' . get_permalink($id) . ' is not the planned ' . $links[$spec['index']]['url']);
    }
    $ids = [];
    foreach (nc_comments($spec, $texts) as $k => $c) {
        $local = (new DateTimeImmutable($spec['date']))->modify('+' . (95 * ($k + 1)) . ' minutes')->format('Y-m-d H:i:s');
        $by = $c['user'] === null ? null : get_user_by('login', $authors[$c['user']]['login']);
        $cid = wp_insert_comment(wp_slash([
            'comment_post_ID' => $id,
            'comment_author' => $by ? $by->display_name : $c['name'],
            'comment_author_email' => $by ? $by->user_email : sanitize_title($c['name']) . '@example.invalid',
            'comment_author_url' => '',
            'comment_content' => $c['text'],
            'comment_date' => $local,
            'comment_date_gmt' => get_gmt_from_date($local),
            'comment_approved' => 1,
            'comment_parent' => $c['parent'] >= 0 ? $ids[$c['parent']] : 0,
            'user_id' => $by ? $by->ID : 0,
            'comment_type' => 'comment',
        ]));
        if (!$cid) {
            nc_fail("$what: comment $k", 'wp_insert_comment failed');
        }
        $ids[] = $cid;
    }
}

/** Indexes of the planned posts already published. */
function nc_published_count(): int
{
    return count(get_posts(['post_type' => 'post', 'post_status' => 'publish', 'numberposts' => -1,
        'fields' => 'ids', 'meta_key' => '_newscrawl_index']));
}

/** What a measurement needs to know about the site. */
function nc_manifest(): array
{
    global $wp_version;
    $posts = [];
    $q = get_posts(['post_type' => 'post', 'post_status' => 'publish', 'numberposts' => -1,
        'orderby' => 'date', 'order' => 'ASC', 'meta_key' => '_newscrawl_index']);
    foreach ($q as $p) {
        $comments = get_comments(['post_id' => $p->ID, 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC']);
        $posts[] = [
            'index' => (int) get_post_meta($p->ID, '_newscrawl_index', true),
            'id' => $p->ID,
            'url' => get_permalink($p),
            'title' => html_entity_decode(get_the_title($p), ENT_QUOTES | ENT_HTML5, 'UTF-8'),
            'authors' => [get_the_author_meta('display_name', $p->post_author)],
            'published' => get_post_time('c', false, $p),
            'language' => get_post_meta($p->ID, '_newscrawl_lang', true),
            'short' => (bool) get_post_meta($p->ID, '_newscrawl_short', true),
            'words' => (int) get_post_meta($p->ID, '_newscrawl_words', true),
            'body' => implode("\n\n", json_decode(get_post_meta($p->ID, '_newscrawl_body', true), true)),
            'read_links' => json_decode(get_post_meta($p->ID, '_newscrawl_read_links', true), true),
            'categories' => wp_list_pluck(get_the_category($p->ID), 'name'),
            'tags' => wp_list_pluck(get_the_tags($p->ID) ?: [], 'name'),
            'comments' => array_map(fn ($c) => nc_rendered($c->comment_content), $comments),
            'comments_feed' => get_post_comments_feed_link($p->ID),
        ];
    }
    $authors = [];
    foreach (nc_authors() as $a) {
        $u = get_user_by('login', $a['login']);
        $authors[] = ['name' => $u->display_name, 'url' => get_author_posts_url($u->ID)];
    }
    return [
        'wordpress' => $wp_version,
        'theme' => wp_get_theme()->get_stylesheet(),
        'home' => home_url('/'),
        'feed' => get_feed_link(),
        'comments_feed' => get_feed_link('comments_rss2'),
        'authors' => $authors,
        'pages' => array_map('get_permalink', get_posts(['post_type' => 'page', 'numberposts' => -1, 'fields' => 'ids'])),
        'posts' => $posts,
    ];
}

if ($mode === 'reset') {
    nc_install();
    nc_about_page($texts);
    $specs = nc_plan(NC_POSTS, $texts);
    $links = nc_links($specs);
    foreach ($specs as $spec) {
        nc_insert_post($spec, $texts, $links);
    }
    flush_rewrite_rules(false);
    fwrite(STDERR, 'fill.php: published ' . count($specs) . " posts\n");
} elseif ($mode === 'add') {
    $n = (int) ($argv[2] ?? 0);
    if ($n < 1) {
        nc_fail('add', 'needs a positive count');
    }
    wp_set_current_user(1);
    $have = nc_published_count();
    $specs = nc_plan($have + $n, $texts);
    $links = nc_links($specs);
    foreach (array_slice($specs, $have) as $spec) {
        nc_insert_post($spec, $texts, $links);
    }
    fwrite(STDERR, "fill.php: published $n more posts ($have before)\n");
}
echo wp_json_encode(nc_manifest(), JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
