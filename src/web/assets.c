/*
 * assets.c — the static files compiled into the binary by src/web/module.cmake.
 */
#include <string.h>

#include "web/web_internal.h"

extern const unsigned char asset_style_css[], asset_font_regular[], asset_font_bold[];
extern const size_t asset_style_css_len, asset_font_regular_len, asset_font_bold_len;

bool asset_find(const char *name, const unsigned char **data, size_t *len, const char **type)
{
	static const struct {
		const char *name, *type;
		const unsigned char *data;
		const size_t *len;
	} assets[] = {
		{ "style.css", "text/css; charset=utf-8", asset_style_css, &asset_style_css_len },
		{ "vazirmatn-regular.woff2", "font/woff2", asset_font_regular, &asset_font_regular_len },
		{ "vazirmatn-bold.woff2", "font/woff2", asset_font_bold, &asset_font_bold_len },
	};
	for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++) {
		if (!strcmp(name, assets[i].name)) {
			*data = assets[i].data;
			*len = *assets[i].len;
			*type = assets[i].type;
			return true;
		}
	}
	return false;
}
