//! The word lists the English and Chinese rewrites consult (GUI nouns,
//! determiners, export, credit and upload words, ...), as space-separated
//! strings, and the two lookups over them. Kept in one place so a missed
//! word is one edit.

pub(super) const DETS: &str =
    "the a an your this that these those its their our my his her some any each every";
/// Words that end an object phrase (conjunctions, subjects, purpose "to").
pub(super) const STOP: &str =
    "to and or then now so for when once if before after until while because but as \
    with by you we i which who where again instead yet too also please it's that's \
    you'll you're is are will can";
pub(super) const PREPS: &str =
    "in on at from under inside into onto within near beside of over via through \
    between";
pub(super) const GUI_NOUNS: &str =
    "button buttons panel panels tab tabs menu menus icon icons timeline editor page \
    pages settings sidebar toolbar window dialog popup pop-up modal dashboard screen \
    player dropdown drop-down checkbox toggle slider link storyboard canvas \
    interface dropzone";
/// Words that make a prepositional phrase a GUI location ("in the top-right corner").
pub(super) const LOCATION: &str =
    "top bottom left right corner top-right top-left bottom-right bottom-left upper \
    lower side header footer preview app";
/// Places files come from or are dropped onto.
pub(super) const UPLOADISH: &str =
    "upload uploads uploader import computer desktop folder finder explorer dropzone \
    zone chat";
pub(super) const EXPORT_WORDS: &str = "export download render publish";
pub(super) const CREDIT_WORDS: &str =
    "account billing credits credit balance subscription pricing wallet upgrade \
    top-up recharge payment payments";
pub(super) const UPLOAD_WORDS: &str = "upload uploads uploader import media";
pub(super) const TIMELINE_WORDS: &str = "timeline preview storyboard player play";
pub(super) const FILE_NOUNS: &str =
    "photo photos image images picture pictures pic pics file files video videos \
    footage media music audio song songs logo asset assets screenshot screenshots";
/// Words saying the files are new to the project ("your photos", "more images").
pub(super) const OWN: &str = "your more new additional some any other extra";
pub(super) const REORDER: &str =
    "order reorder rearrange position positions swap sequence earlier later";
/// Purposes that only need to look at the project, so `/status` really answers them.
pub(super) const VIEW_VERBS: &str =
    "review see check view preview watch look inspect verify confirm compare";
/// Objects of a view verb that just mean "the project" ("preview it in the timeline").
pub(super) const PRONOUNISH: &str =
    "it them this that these those everything all the your result results video final \
    project edit preview cut draft changes";
pub(super) const KEYS: &str =
    "enter return space spacebar esc escape tab shift ctrl control cmd command alt \
    option backspace";
/// A trigger right after one of these is not addressed to the reader.
pub(super) const BLOCK_PREV: &str =
    "the a an this that these those its his her their our my your i we they he she it \
    me us him them one each every no any some is are was were be been being am stay \
    stays remain remains keep keeps left wide fully already don't dont do does did \
    not never i'll we'll it'll they'll he'll she'll i'd we'd let's i've we've i'm \
    we're it's that'll this'll who which that's single mouse extra quick";
pub(super) const MODALS: &str = "can could should may might must will would shall";
pub(super) const ADVERBS: &str =
    "also just simply then now easily quickly always still directly first again only \
    instead even next";

pub(super) const ZH_BREAKS: &[char] = &[
    '，', '。', '！', '？', '；', '：', ',', ';', ':', '!', '?', '.', '\n', '、', '（', '）', '(',
    ')',
];
/// Longest first, so "上传区域" wins over "区域"-less prefixes.
pub(super) const ZH_GUI: &str = "上传区域 标签页 选项卡 侧边栏 工具栏 编辑器 播放器 对话框 上传区 按钮 面板 菜单 页面 设置 时间线 时间轴 窗口 界面 图标 弹窗 链接 入口";
pub(super) const ZH_EXPORT: &str = "导出 下载 渲染 发布 export download";
pub(super) const ZH_CREDITS: &str =
    "账户 账号 充值 余额 积分 订阅 会员 计费 付费 套餐 额度 billing credits";
pub(super) const ZH_UPLOAD: &str =
    "上传 导入 素材库 添加素材 添加文件 添加照片 添加图片 upload import";
pub(super) const ZH_TIMELINE: &str = "时间线 时间轴 预览 播放 timeline preview";
pub(super) const ZH_LABELS: &str =
    "导出 下载 预览 播放 上传 充值 保存 应用 确定 确认 生成 发布 分享 这里 此处 添加";
/// Words that carry no meaning of their own in an object ("右上角的…按钮").
pub(super) const ZH_GENERIC: &str = "右上角 左上角 右下角 左下角 上方 下方 顶部 底部 右侧 左侧 上面 下面 这里 此处 这个 一下 该 此 的 上 中 里";
pub(super) const ZH_VIEW: &str = "查看 预览 检查 浏览 确认 看看 观看 看一下 核对 看";
/// Purpose markers between a GUI step and what it is for ("点击…即可下载").
pub(super) const ZH_MARKERS: &str = "即可 就可以 就能 便可 可以 进行 然后 并 来 以";
pub(super) const ZH_FILE: &str = "照片 图片 文件 素材 视频 音频 音乐 图像 相片";
pub(super) const ZH_UPLOAD_TARGET: &str = "上传 此处 这里 窗口 素材库 导入 对话框";
pub(super) const ZH_REORDER: &str = "顺序 位置 排序 排列 调整 交换 前面 后面";

/// Word lists are whitespace-separated strings: compact to read and to extend.
pub(super) fn has(list: &str, w: &str) -> bool {
    list.split_whitespace().any(|x| x == w)
}

/// Some entry of `list` occurs in `t`.
pub(super) fn mentions(t: &str, list: &str) -> bool {
    list.split_whitespace().any(|w| t.contains(w))
}
