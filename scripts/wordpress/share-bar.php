<?php
/**
 * Plugin Name: newscrawl test site: share bar, no outbound HTTP
 * Description: Installed as a must-use plugin by newscrawl's scripts/wordpress/wp-site.
 *   Appends a share bar to each post's content with the markup and behaviour of
 *   Jetpack's "sharedaddy" (on-site `?share=NAME` links marked rel=nofollow that
 *   redirect to the network), and refuses every outbound HTTP request.
 */

// The test site stays on the machine: no request leaves WordPress.
add_filter('pre_http_request', function () {
    return new WP_Error('newscrawl_offline', 'the test site makes no HTTP requests');
});

/** The networks of the bar: ?share= value, label, where the network's sharer lives. */
function newscrawl_share_networks(): array
{
    return [
        'facebook' => ['Facebook', 'https://www.facebook.com/sharer.php?u='],
        'x' => ['X', 'https://x.com/intent/tweet?url='],
        'linkedin' => ['LinkedIn', 'https://www.linkedin.com/shareArticle?mini=true&url='],
        'jetpack-whatsapp' => ['WhatsApp', 'https://api.whatsapp.com/send?text='],
        'telegram' => ['Telegram', 'https://t.me/share/url?url='],
    ];
}

add_filter('the_content', function ($content) {
    if (is_feed() || !is_singular('post') || !in_the_loop() || !is_main_query()) {
        return $content;
    }
    $post = get_post();
    $url = get_permalink($post);
    $items = '';
    foreach (newscrawl_share_networks() as $key => [$label]) {
        $href = esc_url(add_query_arg(['share' => $key, 'nb' => 1], $url));
        $items .= sprintf(
            '<li class="share-%1$s"><a rel="nofollow noopener noreferrer" data-shared="sharing-%1$s-%2$d" class="share-%1$s sd-button share-icon" href="%3$s" target="_blank" title="Click to share on %4$s"><span>%4$s</span></a></li>',
            esc_attr($key), $post->ID, $href, esc_html($label)
        );
    }
    $mail = esc_url('mailto:?subject=' . rawurlencode(get_the_title($post)) . '&body=' . rawurlencode($url));
    $items .= '<li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button share-icon" href="' . $mail . '" target="_blank" title="Click to email a link to a friend"><span>Email</span></a></li>';
    $items .= '<li class="share-end"></li>';
    return $content . '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">'
        . '<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>' . $items . '</ul></div></div></div>';
}, 19);

// Like Jetpack: a ?share= request on a post answers with a redirect to the network.
add_action('template_redirect', function () {
    if (!isset($_GET['share']) || !is_singular('post')) {
        return;
    }
    $networks = newscrawl_share_networks();
    $key = sanitize_key(wp_unslash($_GET['share']));
    if (!isset($networks[$key])) {
        return;
    }
    wp_redirect($networks[$key][1] . rawurlencode(get_permalink()), 302);
    exit;
});
